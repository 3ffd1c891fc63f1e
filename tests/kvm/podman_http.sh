# podman (Debian 12's) with --runtime pointing at tender-oci serving
# examples/http: an image built offline with http.elf and its site image
# in the root filesystem, run -d -p 8080:80 with the org.tender.*
# annotations it needs (memory, the disk, the network device), fetched
# with curl from the test host's own namespace through the mapped port:
# index.html, the 1 KiB file byte for byte (md5 of the image's copy), a
# 404; then stop (143), rm, and nothing left behind.
. ./engine_lib.sh
CURL="/usr/bin/curl -sS --max-time 20"

if ! $PODMAN image exists localhost/tender-http; then
    rm -rf ctx-http
    mkdir ctx-http
    cp http.elf site.img ctx-http/
    cat >ctx-http/Containerfile <<'CF'
FROM scratch
COPY http.elf site.img /
CMD ["/http.elf", "{cidr}"]
CF
    $PODMAN build --network none -t localhost/tender-http ctx-http \
        >.build.log 2>&1 || fail "podman build: $(cat .build.log)"
fi
echo "ok: podman build (FROM scratch, COPY http.elf site.img)"

$PODMAN run -d --name http1 -p 8080:80 \
    --annotation org.tender.mem=64 \
    --annotation org.tender.block=site=/site.img \
    --annotation org.tender.net=service \
    localhost/tender-http >.run.out 2>.run.err ||
    fail "podman run -d: $(cat .run.out .run.err)"
i=0
until $PODMAN logs http1 2>/dev/null | grep -q "http: serving"; do
    i=$((i + 1))
    [ $i -lt 120 ] || fail "http never started: $($PODMAN logs http1 2>&1)"
    sleep 0.5
done
$PODMAN logs http1 | grep "http: serving"
$PODMAN logs http1 | grep -q "on 10\.88\.0\.[0-9]*/16 port 80" ||
    fail "the guest was not told its address: $($PODMAN logs http1)"

# The host's loopback (podman's port mapping with CNI's portmap: DNAT,
# and SNAT of 127.0.0.1 to the bridge's address) and the bridge's own
# address, both on port 8080.
for host in 127.0.0.1 10.88.0.1; do
    url=http://$host:8080
    code=$($CURL -o .index -w '%{http_code}' "$url/") ||
        fail "curl $url/: $($PODMAN logs http1 2>&1)"
    [ "$code" = 200 ] || fail "$url/: status $code"
    grep -q "Hello from tender" .index || fail "$url/: wrong page: $(cat .index)"
    code=$($CURL -o .got -w '%{http_code}' "$url/1k.txt") ||
        fail "curl $url/1k.txt failed"
    [ "$code" = 200 ] || fail "$url/1k.txt: status $code"
    want=$(tar -xOf site.img ./1k.txt | md5sum)
    got=$(md5sum <.got)
    [ "$want" = "$got" ] ||
        fail "$url/1k.txt: $(wc -c <.got) bytes, md5 $got, expected $want"
    [ "$(wc -c <.got)" -eq 1024 ] || fail "1k.txt: $(wc -c <.got) bytes"
    code=$($CURL -o .got -w '%{http_code}' "$url/no/such/file")
    [ "$code" = 404 ] || fail "$url/no/such/file: status $code"
    echo "ok: $url: /, 1k.txt (md5 ${got%% *}), 404"
done

$PODMAN stop http1 >/dev/null || fail "podman stop"
st=$($PODMAN inspect --format '{{.State.ExitCode}}' http1)
[ "$st" = 143 ] || fail "stopped http exited $st, not 143"
$PODMAN rm http1 >/dev/null || fail "podman rm"
expect_engine_clean
pass "podman run -d -p 8080:80 http.elf: /, 1 KiB intact and 404 through the host's port 8080; stop gives 143; nothing left"

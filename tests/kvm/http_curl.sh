# examples/http (lwIP) serves its site image: curl fetches index.html, a
# 1 KiB, a 64 KiB and a 1 MiB file byte for byte (compared with the files
# in the image), HEAD, a missing file (404) and /stats.
. ./lib.sh
CURL="/usr/bin/curl -sS --max-time 20"
tap_up tap0 10.0.0.1/24
start_tender --net=tap0 --block=site.img http.elf 10.0.0.2
wait_for_guest "http: serving"
code=$($CURL -o .index -w '%{http_code}' http://10.0.0.2/) ||
    fail "curl /: $(cat .tender.out)"
[ "$code" = 200 ] || fail "/: status $code"
grep -q "Hello from tender" .index || fail "/: wrong page: $(cat .index)"
for f in 1k.txt 64k.txt 1m.txt; do
    code=$($CURL -o .got -w '%{http_code}' "http://10.0.0.2/$f") ||
        fail "curl $f failed"
    [ "$code" = 200 ] || fail "$f: status $code"
    want=$(tar -xOf site.img "./$f" | md5sum)
    got=$(md5sum <.got)
    [ "$want" = "$got" ] ||
        fail "$f: $(wc -c <.got) bytes, md5 $got, expected $want"
done
[ "$(wc -c <.got)" -eq 1048576 ] || fail "1m.txt: $(wc -c <.got) bytes"
code=$($CURL -o .got -w '%{http_code}' http://10.0.0.2/no/such/file)
[ "$code" = 404 ] || fail "missing file: status $code"
$CURL -I http://10.0.0.2/1m.txt >.head || fail "HEAD failed"
grep -qi "Content-Length: 1048576" .head || fail "HEAD: $(cat .head)"
$CURL -o .stats http://10.0.0.2/stats || fail "curl /stats"
grep -q "^requests " .stats || fail "/stats: $(cat .stats)"
cat .stats | head -n 3
stop_tender
expect_status 246
pass "/, 1 KiB, 64 KiB, 1 MiB intact; 404; HEAD; /stats"

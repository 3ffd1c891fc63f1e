# examples/http against hostile clients (tests/helpers/http_client.c,
# "hostile"): malformed requests get 400 (or 501, 404), partial heads,
# a 64 KiB header, slowloris, resets mid-response, garbage and idle
# connections; a good request is answered between each and at the end,
# and the guest is still running.
. ./lib.sh
tap_up tap0 10.0.0.1/24
start_tender --net=tap0 --block=site.img http.elf 10.0.0.2
wait_for_guest "http: serving"
./http-client hostile 10.0.0.2 80 >.hostile.out 2>&1 ||
    fail "$(cat .hostile.out) $(cat .tender.out)"
cat .hostile.out
kill -0 "$tender_pid" || fail "the guest stopped: $(cat .tender.out)"
stop_tender
expect_status 246
pass "hostile clients: every check held, the server still answers"

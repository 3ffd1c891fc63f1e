# examples/http holds 256 connections open at once (its /stats counts
# them) and answers a 1 KiB request on every one (tests/helpers/
# http_client.c, "conns").
. ./lib.sh
tap_up tap0 10.0.0.1/24
start_tender --net=tap0 --block=site.img http.elf 10.0.0.2
wait_for_guest "http: serving"
./http-client conns 10.0.0.2 80 256 /1k.txt 1024 >.conns.out 2>&1 ||
    fail "$(cat .conns.out)"
cat .conns.out
stop_tender
expect_status 246
pass "256 connections open at once, each answered with 1 KiB"

# examples/udp-echo returns 10,000 datagrams of every size from 1 to
# MTU - 28 (1472) bytes, byte for byte (tests/helpers/udp_echo_client.c).
. ./lib.sh
tap_up tap0 10.0.0.1/24
start_tender --net=tap0 udp-echo.elf 10.0.0.2 7777
wait_for_guest "echoing UDP port 7777"
./udp-echo-client 10.0.0.2 7777 10000 1472 ||
    fail "udp-echo-client failed"
stop_tender
expect_status 246
pass "10,000 datagrams of 1-1472 bytes echoed byte for byte"

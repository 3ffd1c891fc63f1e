# Bad network set-ups: one clear line and status 240 each.
. ./lib.sh
tap_up tap0 10.0.0.1/24
run_tender --net=nosuch0 ping.elf 10.0.0.2
expect_status 240
expect_one_line_error "no such interface nosuch0"
run_tender --net=lo ping.elf 10.0.0.2
expect_status 240
expect_one_line_error "lo is not a single-queue tap device"
run_tender --net=averyveryverylongname ping.elf 10.0.0.2
expect_status 240
expect_one_line_error "interface name longer than 15"
run_tender --net:a=tap0 --net:b=tap0 net_two.elf 10.0.1.2 10.0.2.2
expect_status 240
expect_one_line_error "tap0 is in use"
run_tender --net=@0 ping.elf 10.0.0.2 <lib.sh
expect_status 240
expect_one_line_error "descriptor 0 is not a tap device"
run_tender --net=@77 ping.elf 10.0.0.2
expect_status 240
expect_one_line_error "descriptor 77 is not open"
run_tender --net=@x ping.elf 10.0.0.2
expect_status 240
expect_one_line_error "not a descriptor number"
for mac in 02:00:00:00:00 02:00:00:00:00:0g 02-00-00-00-00-01 \
    02:00:00:00:00:01:02 2:0:0:0:0:1; do
    run_tender --net=tap0 --net-mac=$mac ping.elf 10.0.0.2
    expect_status 240
    expect_one_line_error "not a MAC address"
done
run_tender --net=tap0 --net-mac=03:00:00:00:00:01 ping.elf 10.0.0.2
expect_status 240
expect_one_line_error "multicast address"
run_tender --net:nosuch=tap0 ping.elf 10.0.0.2
expect_status 240
expect_one_line_error "the guest declares no device 'nosuch'"
run_tender --net-mac:nosuch=02:00:00:00:00:01 --net=tap0 ping.elf 10.0.0.2
expect_status 240
expect_one_line_error "the guest declares no device 'nosuch'"
dd if=/dev/zero of=.disk.img bs=4096 count=1 2>/dev/null
run_tender --net:disk=tap0 --block:disk=.disk.img --net:net0=tap0 \
    net_hostile.elf
rm -f .disk.img
expect_status 240
expect_one_line_error "'disk' is a block device, not a network device"
run_tender ping.elf 10.0.0.2
expect_status 240
expect_one_line_error "declares network device 'service' but nothing is attached to it (use --net:service="
run_tender --net:a=tap0 net_two.elf 10.0.1.2 10.0.2.2
expect_status 240
expect_one_line_error "declares network device 'b' but nothing is attached"
run_tender --net=tap0 net_two.elf 10.0.1.2 10.0.2.2
expect_status 240
expect_one_line_error "declares 2 network devices: name one"
run_tender --net=tap0 hello.elf
expect_status 240
expect_one_line_error "the guest declares no network device"
run_tender --net=tap0 --net:service=tap0 ping.elf 10.0.0.2
expect_status 240
expect_one_line_error "already has a --net option"
pass "network set-up errors"

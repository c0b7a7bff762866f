#!/bin/sh
# Runs in dom0 (live-xen/run.sh --domu): starts a small PV domU with `xl create` (same kernel as
# dom0, the domU initramfs from the image cache, a 16 MiB disk on /dev/loop0 served by the
# kernel's blkback and an interface on bridge xenbr0 served by the kernel's netback), waits for
# the guest's self-checks on its console, and writes what it saw to /mnt/shared/domu/.
# Leaves the guest running (the caller's command may use it); `domu-smoke.sh stop` destroys it.
# The disk and vif use the lean hotplug scripts of ./hotplug (see there why).
#
# XEN4J_DOMU_DISK=none / XEN4J_DOMU_VIF=none leave the disk / the vif out of the config, for a
# command that attaches its own backend afterwards (the guest checks devices that appear late
# too, see domu-init.sh). XEN4J_DOMU_WAIT: seconds to wait for the guest's checks (300).
S=/mnt/shared
R=$S/domu
NAME=xen4j-domu
CONSOLE_LOG=$S/dom0/console/guest-$NAME.log
WAIT=${XEN4J_DOMU_WAIT:-300}
DISK=${XEN4J_DOMU_DISK:-kernel}
VIF=${XEN4J_DOMU_VIF:-kernel}
mkdir -p "$R"

now() { cut -d' ' -f1 /proc/uptime; }
result() { echo "$1=$2" >> "$R/result.properties"; }
step() { echo "$(now) $*" >> "$R/timeline.txt"; }

if [ "${1:-}" = stop ]; then
    xl list > "$R/xl-list-before-stop.txt" 2>&1
    xl destroy "$NAME" > "$R/xl-destroy.log" 2>&1
    result destroy_rc $?
    # The guest wrote a line at 4 KiB into its disk: read it back here, in dom0.
    if [ -f /tmp/domu-disk.img ]; then
        dd if=/tmp/domu-disk.img bs=4096 skip=1 count=1 2>/dev/null | head -n 1 > "$R/disk-from-dom0.txt"
        result disk_from_dom0 "$(cat "$R/disk-from-dom0.txt")"
    fi
    exit 0
fi

: > "$R/result.properties"
: > "$R/timeline.txt"
t0=$(now)
step start

# Network: a bridge for the guest's vif; dom0 is 10.99.0.1, the guest 10.99.0.2.
ip link add xenbr0 type bridge 2> "$R/bridge.log"
ip addr add 10.99.0.1/24 dev xenbr0 2>> "$R/bridge.log"
ip link set xenbr0 up 2>> "$R/bridge.log"

step bridge up
# Disk: a file with a marker in its first 4 KiB, on a loop device.
dd if=/dev/zero of=/tmp/domu-disk.img bs=1M count=16 2>/dev/null
printf 'xen4j-dom0-wrote-this\n' | dd of=/tmp/domu-disk.img conv=notrunc 2>/dev/null
losetup /dev/loop0 /tmp/domu-disk.img 2> "$R/losetup.log" || result losetup FAIL

step disk ready
cat > /tmp/$NAME.cfg <<EOF
name = "$NAME"
type = "pv"
kernel = "/mnt/images/vmlinuz"
ramdisk = "/mnt/images/domu-initrd.gz"
extra = "console=hvc0 rdinit=/init"
memory = 128
vcpus = 1
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
EOF
[ "$DISK" = kernel ] && echo "disk = [ 'format=raw,vdev=xvda,access=rw,script=/mnt/harness/hotplug/block,target=/dev/loop0' ]" >> /tmp/$NAME.cfg
[ "$VIF" = kernel ] && echo "vif = [ 'bridge=xenbr0,mac=00:16:3e:58:34:02,script=/mnt/harness/hotplug/vif-bridge' ]" >> /tmp/$NAME.cfg
cp /tmp/$NAME.cfg "$R/$NAME.cfg"

# Each line of xl's debug log gets dom0's uptime in front, to see where the time goes.
stamp() { awk '{ getline u < "/proc/uptime"; close("/proc/uptime"); split(u, a, " "); print a[1], $0; fflush() }'; }
( xl -vvv create /tmp/$NAME.cfg 2>&1; echo "xl-create-rc $?" ) | stamp > "$R/xl-create.log"
rc=$(sed -n 's/^[0-9.]* xl-create-rc //p' "$R/xl-create.log")
t1=$(now)
step xl create done
result create_rc $rc
result create_s "$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")"
if [ $rc -ne 0 ]; then
    result up no
    exit 1
fi
xl list > "$R/xl-list.txt" 2>&1
if grep -q "^$NAME " "$R/xl-list.txt"; then result listed yes; else result listed no; fi

# Wait for the guest's self-checks.
i=0
while ! grep -q 'XEN4J-DOMU: done' "$CONSOLE_LOG" 2>/dev/null && [ $i -lt $((WAIT * 2)) ]; do
    sleep 0.5
    i=$((i + 1))
done
t2=$(now)
step guest checks seen
if grep -q 'XEN4J-DOMU: done' "$CONSOLE_LOG" 2>/dev/null; then
    result up yes
    result selfcheck_s "$(awk "BEGIN { printf \"%.1f\", $t2 - $t0 }")"
else
    result up no
fi
grep -a 'XEN4J-DOMU:' "$CONSOLE_LOG" > "$R/guest-marks.txt" 2>/dev/null
if [ "$DISK" != kernel ]; then result blk none
elif grep -q 'blk xvda write/read ok' "$R/guest-marks.txt"; then result blk ok; else result blk FAIL; fi
if [ "$VIF" != kernel ]; then result net none
elif grep -q 'net eth0 ping 10.99.0.1 ok' "$R/guest-marks.txt"; then result net ok; else result net FAIL; fi
result blk_negotiated "$(sed -n 's/.*blk xvda negotiated: //p' "$R/guest-marks.txt" | head -n 1)"

xl list > "$R/xl-list.txt" 2>&1
xenstore-ls -f /local/domain/0/backend > "$R/backends.txt" 2>&1
domid=$(xl domid "$NAME" 2>/dev/null)
[ -n "$domid" ] && xenstore-ls -f "/local/domain/$domid/device" > "$R/frontends.txt" 2>&1
result domid "$domid"
vbd_state=$(xenstore-read "/local/domain/0/backend/vbd/$domid/51712/state" 2>/dev/null)
vif_state=$(xenstore-read "/local/domain/0/backend/vif/$domid/0/state" 2>/dev/null)
result vbd_backend_state "$vbd_state"
result vif_backend_state "$vif_state"
grep -q '^up=yes' "$R/result.properties"

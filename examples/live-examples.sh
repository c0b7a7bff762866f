#!/bin/sh
# Runs the examples unchanged with --live inside the dom0 of live-xen/run.sh, from the host:
#
#   ./mvnw -q -B -ntp -DskipTests -pl examples -am package     # once: target/classpath.txt
#   live-xen/run.sh --domu-disk none --domu-vif none --mount "$PWD" --mount "$HOME/.m2" \
#       --command "sh $PWD/examples/live-examples.sh"
#
# In order: the platform report; the xenstore browser (ls, read, write, watch, with the watch's
# events written by xenstore-write from the shell); the grant/event-channel pair as two processes;
# xen4j's blkfront self-attached to a loop device served by dom0's kernel blkback (DiskClient);
# then, against the running domU ($XEN4J_DOMU_NAME): xenconsoled is stopped and xen4j's console
# logger takes over the consoles, the shutdown tool sends sysrq h (the guest prints its help on
# its console), and the disk server serves a file to the guest, whose kernel blkfront attaches it
# and prints what it negotiated on its console, where the console logger logs it; finally
# xenconsoled is started again. Each step has a timeout; a failed step does not stop the rest.
# Exit status: the number of failed steps. Arguments pick steps (default all): platform xenstore
# grant diskclient domu.
here=$(cd "$(dirname "$0")" && pwd)
# C1 only, as LiveXenTest: under TCG the JVM's C2 compiler threads cost the most (soft lockups seen).
export XEN4J_JAVA_OPTS="${XEN4J_JAVA_OPTS:--XX:TieredStopAtLevel=1}"
R="$here/run.sh"
W=/tmp/xen4j-examples
mkdir -p "$W"
failed=0
step() { echo; echo "=== $* ($(cut -d' ' -f1 /proc/uptime)s)"; }
check() { # check <rc> <what>
    if [ "$1" -eq 0 ]; then echo "--- ok: $2"; else echo "--- FAILED ($1): $2"; failed=$((failed + 1)); fi
}
steps=${*:-platform xenstore grant diskclient domu}
want() { case " $steps " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
wait_for() { # wait_for <file> <text> <seconds>
    i=0
    while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt $(($3 * 2)) ]; do sleep 0.5; i=$((i + 1)); done
    grep -q "$2" "$1" 2>/dev/null
}

if want platform; then
step "PlatformExample"
timeout 300 "$R" PlatformExample
check $? "platform report"
fi

if want xenstore; then
step "XenstoreBrowser --live ls /local/domain/0"
timeout 300 "$R" XenstoreBrowser --live ls /local/domain/0
check $? "xenstore ls"
step "XenstoreBrowser --live read /local/domain/0/name"
timeout 300 "$R" XenstoreBrowser --live read /local/domain/0/name
check $? "xenstore read"
step "XenstoreBrowser --live write /local/domain/0/data/xen4j-example hello-from-java"
timeout 300 "$R" XenstoreBrowser --live write /local/domain/0/data/xen4j-example hello-from-java
check $? "xenstore write"
echo "xenstore-read (C tool) says: $(xenstore-read /local/domain/0/data/xen4j-example)"
step "XenstoreBrowser --live watch /local/domain/0/data/xen4j-watch 3 240 (xenstore-write from the shell)"
xenstore-write /local/domain/0/data/xen4j-watch ""
timeout 300 "$R" XenstoreBrowser --live watch /local/domain/0/data/xen4j-watch 3 240 > "$W/watch.out" 2>&1 &
wpid=$!
if wait_for "$W/watch.out" "^watching" 240; then
    xenstore-write /local/domain/0/data/xen4j-watch/a first
    xenstore-write /local/domain/0/data/xen4j-watch/b second
fi
wait $wpid
rc=$?
cat "$W/watch.out"
check $rc "xenstore watch"
fi

if want grant; then
step "GrantPair --live offer | GrantPair --live map (two processes in dom0)"
timeout 300 "$R" GrantPair --live offer --peer 0 --timeout 240 > "$W/offer.out" 2>&1 &
opid=$!
wait_for "$W/offer.out" "published under" 240
timeout 300 "$R" GrantPair --live map --from 0 --timeout 240 > "$W/map.out" 2>&1
mrc=$?
wait $opid
orc=$?
echo "offering process:"; sed 's/^/  /' "$W/offer.out"
echo "mapping process:"; sed 's/^/  /' "$W/map.out"
check $((orc + mrc)) "grant/evtchn pair"
fi

if want diskclient; then
step "DiskClient --live: xen4j blkfront in dom0 on the kernel's blkback (self-attach of a loop device)"
echo "xen-blkfront loaded in dom0: $(grep -c '^xen_blkfront ' /proc/modules) (0: nothing claims device/vbd but xen4j)"
dd if=/dev/zero of=/tmp/xen4j-selfattach.img bs=1M count=16 2>/dev/null
loop=$(losetup -f --show /tmp/xen4j-selfattach.img)
echo "loop device: $loop ($(cat /sys/block/${loop#/dev/}/dev))"
timeout 400 "$R" DiskClient --live --device "$loop" --file /tmp/xen4j-selfattach.img
check $? "blkfront vs Linux blkback"
echo "kernel log of blkback:"; dmesg | grep -i 'blkback\|vbd' | tail -n 8 | sed 's/^/  /'
echo "dom0 reads the loop device at 4 MiB with dd: $(dd if="$loop" bs=1M skip=4 count=1 iflag=direct 2>/dev/null | cksum)"
echo "dom0 reads the file at 4 MiB with dd:        $(dd if=/tmp/xen4j-selfattach.img bs=1M skip=4 count=1 2>/dev/null | cksum)"
losetup -d "$loop"
fi

if ! want domu; then
    :
elif [ -n "${XEN4J_DOMU_NAME:-}" ] && domid=$(xl domid "$XEN4J_DOMU_NAME" 2>/dev/null); then
    step "ConsoleLogger --live in place of xenconsoled; domU $XEN4J_DOMU_NAME is dom$domid"
    # Two console back ends on one ring would take each other's bytes: xenconsoled goes first.
    kill "$(cat /run/xenconsoled.pid)" 2>/dev/null
    sleep 1
    mkdir -p "$W/console"
    "$R" ConsoleLogger "$W/console" --live > "$W/console.out" 2>&1 &
    cpid=$!
    if wait_for "$W/console.out" "logging every console" 240; then
        sleep 3
        step "ShutdownTool sysrq:h $domid --live (the guest prints its sysrq help on its console)"
        timeout 300 "$R" ShutdownTool sysrq:h "$domid" 60 --live
        check $? "sysrq acknowledged"
        step "DiskServer --live: xen4j blkback serves a file to dom$domid, whose kernel blkfront checks it"
        # DiskServer uses backend/xen4j-vbd, so the kernel's blkback (which serves backend/vbd) may stay.
        dd if=/dev/zero of=/tmp/xen4j-served.img bs=1M count=16 2>/dev/null
        printf 'xen4j-disk-server-sector-0\n' | dd of=/tmp/xen4j-served.img conv=notrunc 2>/dev/null
        timeout 400 "$R" DiskServer /tmp/xen4j-served.img --live --domain "$domid" --seconds 240 > "$W/disk-server.out" 2>&1 &
        dpid=$!
        wait_for "$W/console/guest-dom$domid.log" "blk xvdb sector0" 300
        sleep 2
        kill "$dpid" 2>/dev/null
        wait "$dpid"
        sed 's/^/  /' "$W/disk-server.out"
        grep -q "blk xvdb write/read ok" "$W/console/guest-dom$domid.log"
        check $? "Linux blkfront on xen4j blkback (seen in xen4j's console log)"
        echo "the guest's line at 4 KiB, read in dom0: $(dd if=/tmp/xen4j-served.img bs=4096 skip=1 count=1 2>/dev/null | head -n 1)"
    else
        check 1 "console logger start"
    fi
    kill "$cpid" 2>/dev/null
    wait "$cpid"
    echo "console logger:"; sed 's/^/  /' "$W/console.out"
    for f in "$W"/console/*; do
        echo "$f:"
        grep -a -v '^\s*$' "$f" | tail -n 40 | sed 's/^/  /'
    done
    grep -q "sysrq\|SysRq" "$W/console/guest-dom$domid.log" 2>/dev/null
    check $? "the guest's sysrq help in xen4j's console log"
    /usr/lib/xen-4.17/bin/xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/mnt/shared/dom0/console \
        > /dev/null 2>&1 < /dev/null
    echo "xenconsoled started again: $?"
else
    echo "no domU (XEN4J_DOMU_NAME unset or not running): console logger and disk server steps skipped"
fi

echo
echo "live examples: $failed step(s) failed"
exit $failed

#!/bb/sh
# /init of the small PV domU that live-xen/run.sh --domu starts in dom0 (same kernel as dom0,
# busybox in /bb, xen-blkfront and xen-netfront). It checks every disk (xvd*) and network
# interface (eth*) it has, and then keeps watching for new ones: a backend that appears later
# (xen4j's blkback or netback in dom0 writing the xenbus nodes after `xl create`) gets the same
# checks. Results are "XEN4J-DOMU:" lines on its console (hvc0, which xenconsoled logs in
# dom0); "XEN4J-DOMU: done" ends the checks of the devices present at boot.
#
# Disk check: Linux's view of the negotiation (blkfront's dmesg line: persistent grants,
# indirect descriptors, flush; the queues and sizes in sysfs), then a line written at 4 KiB
# and read back (with the page cache dropped), and the first line of the disk (dom0 wrote one).
# Network check: ethN gets 10.99.N.2/24 and pings 10.99.N.1 (dom0's end: bridge xenbr0 for
# eth0 on the kernel's netback, whatever a xen4j backend sets up otherwise), then, in the
# background, a TCP transfer each way with dom0 when a test there listens (check_tcp).
# Secondary console check: a xenbus device/console/N (Linux's hvc_xen frontend makes /dev/hvcN)
# gets three "XEN4J-HVC:" lines written to it, for the backend in dom0 to log.
# Power off: Linux's Xen shutdown handler (control/shutdown=poweroff) runs kernel.poweroff_cmd,
# which here prints "XEN4J-DOMU: poweroff requested" and powers the domain off.
export PATH=/bb
mark() { echo "XEN4J-DOMU: $*" > /dev/console; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mark "init started, uptime $(cut -d' ' -f1 /proc/uptime)"
while read -r ko; do
    [ -n "$ko" ] && { insmod "/modules/$ko" 2>/dev/null || mark "insmod $ko failed"; }
done < /modules/order
ip link set lo up

# The kernel's default poweroff_cmd is /sbin/poweroff, busybox's, which only signals PID 1 (a
# busybox init would act on it; this script is not one): power off from a script of our own.
cat > /poweroff-now <<'EOF_POWEROFF'
#!/bb/sh
echo "XEN4J-DOMU: poweroff requested, uptime $(/bb/cut -d' ' -f1 /proc/uptime)" > /dev/console
/bb/sync
/bb/poweroff -f
EOF_POWEROFF
chmod 755 /poweroff-now
echo /poweroff-now > /proc/sys/kernel/poweroff_cmd || mark "cannot set kernel.poweroff_cmd"

check_disk() { # check_disk xvdX
    d=$1
    mark "blk $d present, $(cat /sys/block/$d/size) sectors of $(cat /sys/block/$d/queue/logical_block_size) bytes"
    line=$(dmesg | grep "blkfront: $d:" | tail -n 1 | sed 's/^\[[^]]*\] //')
    [ -n "$line" ] && mark "blk $d negotiated: $line"
    mark "blk $d queues: $(ls /sys/block/$d/mq 2>/dev/null | wc -l), max_hw_sectors_kb=$(cat /sys/block/$d/queue/max_hw_sectors_kb), max_segments=$(cat /sys/block/$d/queue/max_segments), nr_tags=$(cat /sys/block/$d/mq/0/nr_tags 2>/dev/null)"
    if [ "$(cat /sys/block/$d/ro)" = 1 ]; then
        mark "blk $d is read-only: no write check"
    else
        pattern="xen4j-domu-wrote-this-$(cut -d' ' -f1 /proc/uptime)"
        printf '%s\n' "$pattern" | dd of=/dev/$d bs=4096 seek=1 conv=sync,fsync 2>/dev/null
        echo 3 > /proc/sys/vm/drop_caches
        back=$(dd if=/dev/$d bs=4096 skip=1 count=1 2>/dev/null | head -n 1)
        if [ "$back" = "$pattern" ]; then
            mark "blk $d write/read ok: $pattern"
        else
            mark "blk $d FAIL read back '$back' expected '$pattern'"
        fi
    fi
    mark "blk $d sector0: $(dd if=/dev/$d bs=4096 count=1 2>/dev/null | head -n 1)"
}

check_net() { # check_net ethN
    n=$1
    i=${n#eth}
    mark "net $n present, mac $(cat /sys/class/net/$n/address), queues tx=$(ls -d /sys/class/net/$n/queues/tx-* | wc -l) rx=$(ls -d /sys/class/net/$n/queues/rx-* | wc -l)"
    ip addr add "10.99.$i.2/24" dev "$n"
    ip link set "$n" up
    # xen-netfront registers ethN (carrier on) as soon as it has written its rings, on the
    # backend's InitWait, before the backend has mapped them: a slow backend (a JVM under
    # emulation) connects seconds later, and ARP may give up meanwhile. Single pings until one
    # is answered (bounded, and counted in the result), then three for the record.
    lost=0
    while [ $lost -lt 30 ] && ! ping -c 1 -W 2 "10.99.$i.1" > /dev/null 2>&1; do
        lost=$((lost + 1))
    done
    if ping -c 3 -W 20 "10.99.$i.1" > /tmp/ping.txt 2>&1; then
        mark "net $n ping 10.99.$i.1 ok: $(tail -n 2 /tmp/ping.txt | tr "\n" " ")(first answered after $lost unanswered single pings)"
    else
        mark "net $n FAIL ping 10.99.$i.1: $(tail -n 2 /tmp/ping.txt | tr '\n' ' ')"
    fi
    dmesg | grep -iE 'netfront|xen_net' | sed 's/^\[[^]]*\] //' | tail -n 5 | while read -r l; do mark "net $n dmesg: $l"; done
    # In the background: the TCP check waits for a listener that only a xen4j test in dom0 opens.
    check_tcp "$n" "$i" &
}

# TCP both ways with dom0, for a backend test in dom0 that listens on 10.99.N.1:5001 (it reads
# the guest's bytes) and :5002 (it sends bytes and closes). The bytes are `seq 1 $TCP_LINES`:
# dom0 knows them, and both sides print length and SHA-256. Bounded: a few connection attempts
# (nobody listens when the kernel's netback serves the vif), each transfer at most 120 s.
TCP_LINES=150000
check_tcp() { # check_tcp ethN N
    n=$1
    i=$2
    seq 1 $TCP_LINES > /tmp/up-$n.txt
    tries=0
    while ! timeout 120 nc "10.99.$i.1" 5001 < /tmp/up-$n.txt 2> /tmp/nc-up-$n.txt; do
        tries=$((tries + 1))
        [ $tries -ge 8 ] && { mark "net $n tcp: no listener on 10.99.$i.1:5001 ($(cat /tmp/nc-up-$n.txt))"; return; }
        sleep 2
    done
    mark "net $n tcp sent $(wc -c < /tmp/up-$n.txt) bytes sha256 $(sha256sum /tmp/up-$n.txt | cut -d' ' -f1) to 10.99.$i.1:5001"
    if timeout 120 nc "10.99.$i.1" 5002 > /tmp/down-$n.txt 2> /tmp/nc-down-$n.txt; then
        mark "net $n tcp received $(wc -c < /tmp/down-$n.txt) bytes sha256 $(sha256sum /tmp/down-$n.txt | cut -d' ' -f1) from 10.99.$i.1:5002"
    else
        mark "net $n FAIL tcp receive from 10.99.$i.1:5002: $(cat /tmp/nc-down-$n.txt)"
    fi
    s=/sys/class/net/$n/statistics
    mark "net $n stats: rx_packets=$(cat $s/rx_packets) rx_bytes=$(cat $s/rx_bytes) tx_packets=$(cat $s/tx_packets) tx_bytes=$(cat $s/tx_bytes) rx_errors=$(cat $s/rx_errors) tx_errors=$(cat $s/tx_errors) mtu=$(cat /sys/class/net/$n/mtu)"
}

write_hvc() { # write_hvc N: three lines to /dev/hvcN; fails while the tty cannot be opened yet
    n=$1
    # In a subshell: PID 1 must not make the tty its controlling terminal.
    ( for i in 1 2 3; do
          printf 'XEN4J-HVC: hvc%s line %s of 3 from the domU, uptime %s\n' "$n" "$i" "$(cut -d' ' -f1 /proc/uptime)"
      done ) > "/dev/hvc$n" 2> /tmp/hvc.err
}

HVC_TRIES=0
SEEN=" "
scan() { # checks the devices not seen yet; returns how many it found
    found=0
    for p in /sys/block/xvd* /sys/class/net/eth*; do
        [ -e "$p" ] || continue
        dev=${p##*/}
        case "$SEEN" in *" $dev "*) continue ;; esac
        SEEN="$SEEN$dev "
        found=$((found + 1))
        case $dev in
            xvd*) check_disk "$dev" ;;
            eth*) check_net "$dev" ;;
        esac
    done
    # Secondary consoles: the xenbus device comes first, the tty once hvc_xen's probe ran.
    for p in /sys/bus/xen/devices/console-*; do
        [ -e "$p" ] || continue
        n=${p##*-}
        case "$SEEN" in *" hvc$n "*) continue ;; esac
        # Linux's hvc_xen makes /dev/hvcN before its probe has listed the console, and throws away
        # what is written in between (put_chars gives -EINVAL, hvc_push drops the buffer): write
        # only once the frontend is Connected, which it becomes after its probe, on the backend's
        # Connected. A kernel without the sysfs state node is written to at once, as before.
        state=$(cat "$p/state" 2>/dev/null || echo Connected)
        if [ "$state" != Connected ]; then
            HVC_TRIES=$((HVC_TRIES + 1))
            [ $HVC_TRIES -lt 30 ] && continue
            mark "hvc hvc$n FAIL the frontend stayed $state"
            SEEN="${SEEN}hvc$n "
            continue
        fi
        if write_hvc "$n"; then
            mark "hvc hvc$n wrote 3 lines (device/console/$n)"
        else
            HVC_TRIES=$((HVC_TRIES + 1))
            [ $HVC_TRIES -lt 30 ] && continue
            mark "hvc hvc$n FAIL cannot write: $(cat /tmp/hvc.err)"
        fi
        SEEN="${SEEN}hvc$n "
        found=$((found + 1))
    done
    return $found
}

# The devices of the domain's config connect while the modules load; give them a moment.
i=0
while [ $i -lt 50 ]; do
    [ -e /sys/block/xvda ] && [ -e /sys/class/net/eth0 ] && break
    sleep 0.2
    i=$((i + 1))
done
scan
[ "$SEEN" = " " ] && mark "no disk or network device at boot"
mark "done, uptime $(cut -d' ' -f1 /proc/uptime)"
while :; do
    sleep 1
    scan
done

#!/bb/sh
# /init of the small PV domU that live-xen/run.sh --domu starts in dom0 (same kernel as dom0,
# busybox in /bb, xen-blkfront and xen-netfront). It checks its disk (xvda) and its network
# interface (eth0), prints "XEN4J-DOMU:" lines on its console (hvc0, which xenconsoled logs in
# dom0) and then idles until dom0 destroys it or shuts it down.
export PATH=/bb
mark() { echo "XEN4J-DOMU: $*" > /dev/console; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mark "init started, uptime $(cut -d' ' -f1 /proc/uptime)"
while read -r ko; do
    [ -n "$ko" ] && { insmod "/modules/$ko" 2>/dev/null || mark "insmod $ko failed"; }
done < /modules/order

# --- block: xen-blkfront -------------------------------------------------------------------
i=0
while [ ! -b /dev/xvda ] && [ $i -lt 150 ]; do sleep 0.2; i=$((i + 1)); done
if [ -b /dev/xvda ]; then
    sectors=$(cat /sys/block/xvda/size)
    mark "blk xvda present, $sectors sectors"
    for f in /sys/block/xvda/queue/max_hw_sectors_kb /sys/block/xvda/queue/max_segments \
             /sys/block/xvda/queue/logical_block_size /sys/block/xvda/mq/*/nr_tags; do
        [ -e "$f" ] && mark "blk $f=$(cat "$f")"
    done
    pattern="xen4j-domu-wrote-this-$(cut -d' ' -f1 /proc/uptime)"
    # Sector 8 (4 KiB in): dom0 reads it back from the backing file after the guest is gone.
    printf '%s\n' "$pattern" | dd of=/dev/xvda bs=4096 seek=1 conv=sync,fsync 2>/dev/null
    echo 3 > /proc/sys/vm/drop_caches
    back=$(dd if=/dev/xvda bs=4096 skip=1 count=1 2>/dev/null | head -n 1)
    if [ "$back" = "$pattern" ]; then
        mark "blk write/read ok: $pattern"
    else
        mark "blk FAIL read back '$back' expected '$pattern'"
    fi
    first=$(dd if=/dev/xvda bs=4096 count=1 2>/dev/null | head -n 1)
    mark "blk sector0 from dom0: $first"
else
    mark "blk FAIL no /dev/xvda"
fi

# --- network: xen-netfront -----------------------------------------------------------------
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 150 ]; do sleep 0.2; i=$((i + 1)); done
if [ -e /sys/class/net/eth0 ]; then
    mark "net eth0 present, mac $(cat /sys/class/net/eth0/address)"
    ip link set lo up
    ip addr add 10.99.0.2/24 dev eth0
    ip link set eth0 up
    if ping -c 3 -W 3 10.99.0.1 > /tmp/ping.txt 2>&1; then
        mark "net ping dom0 ok: $(tail -n 2 /tmp/ping.txt | head -n 1)"
    else
        mark "net FAIL ping dom0: $(tail -n 2 /tmp/ping.txt | tr '\n' ' ')"
    fi
else
    mark "net FAIL no eth0"
fi

mark "done, uptime $(cut -d' ' -f1 /proc/uptime)"
while :; do sleep 3600; done

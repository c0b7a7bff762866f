#!/bb/sh
# /init of dom0's initramfs (live-xen/run.sh builds it; busybox lives in /bb).
#
# Loads the Xen device and 9p modules, mounts the host's /usr and /etc read-only over 9p (so
# the host's binaries, Xen tools and JDK run unchanged), the writable shared folder at
# /mnt/shared, the harness's image cache at /mnt/images and live-xen/ at /mnt/harness, starts
# C xenstored, xen-init-dom0 and xenconsoled, runs /mnt/shared/cmd.sh with its output in the
# shared folder, and powers the machine off. Every step prints a "XEN4J-LIVE:" marker on the console (hvc0, which Xen
# forwards to the serial log) that the host side times.
export PATH=/bb
S=/mnt/shared

mark() { echo "XEN4J-LIVE: $*" > /dev/console; }
fail() {
    mark "FAIL $*"
    [ -d "$S/dom0" ] && echo "$*" >> "$S/dom0/init-failures.txt"
}
poweroff_now() {
    mark "poweroff"
    sync
    umount "$S" 2>/dev/null
    reboot -f
    # reboot -f returned: nothing left to do but wait for QEMU's timeout
    while :; do sleep 3600; done
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
# The block hotplug script's lock loop stats /dev/stdin; without these links it spins until
# libxl's 40 s hotplug timeout.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
[ -e /dev/stdin ] || ln -s /proc/self/fd/0 /dev/stdin
[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
[ -e /dev/stderr ] || ln -s /proc/self/fd/2 /dev/stderr
mark "init started, uptime $(cut -d' ' -f1 /proc/uptime)"

# Modules in dependency order, resolved on the host (modprobe -D) when the image was built.
while read -r ko; do
    [ -n "$ko" ] || continue
    insmod "/modules/$ko" 2> /tmp/insmod.err || {
        grep -q 'File exists' /tmp/insmod.err || fail "insmod $ko: $(cat /tmp/insmod.err)"
    }
done < /modules/order
mkdir -p /proc/xen
mount -t xenfs xenfs /proc/xen || fail "mount xenfs"

P9=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "$P9,ro,cache=loose" hostusr /usr || fail "mount host /usr"
mkdir -p /host/etc /run
mount -t tmpfs -o mode=755 tmpfs /run
mount -t 9p -o "$P9,ro" hostetc /host/etc || fail "mount host /etc"
# /etc: the host's, read-only below a writable tmpfs layer (xl and the hotplug scripts write
# little, but some of them do); a plain read-only bind if overlayfs refuses.
mkdir -p /run/etc-rw/upper /run/etc-rw/work
mount -t overlay -o lowerdir=/host/etc,upperdir=/run/etc-rw/upper,workdir=/run/etc-rw/work overlay /etc \
    || mount -o bind /host/etc /etc || fail "mount /etc"
mkdir -p "$S" /mnt/images /mnt/harness
mount -t 9p -o "$P9" shared "$S" || fail "mount shared folder"
mount -t 9p -o "$P9,ro" images /mnt/images || fail "mount image cache"
# live-xen/ of the project: domu-smoke.sh, the lean hotplug scripts
mount -t 9p -o "$P9,ro" harness /mnt/harness || fail "mount harness folder"
mkdir -p "$S/dom0"
# /tmp before the extra folders: a project checked out under /tmp (a CI clone) is mounted
# inside it, not hidden by it.
mount -t tmpfs -o mode=1777 tmpfs /tmp
# Extra read-only host folders, mounted at the same path as on the host (run.sh --mount).
if [ -f "$S/mounts.list" ]; then
    while read -r tag path; do
        [ -n "$tag" ] || continue
        mkdir -p "$path" && mount -t 9p -o "$P9,ro" "$tag" "$path" || fail "mount $tag on $path"
    done < "$S/mounts.list"
fi

mkdir -p /var/lib/xenstored /var/lib/xen /var/log/xen/console /run/xen /run/xenstored /run/lock \
    /var/lib/xen/dump /root
rm -rf /var/run && ln -s /run /var/run
ln -s /run/lock /var/lock 2>/dev/null
hostname dom0
ip link set lo up

# From here on the host's programs: the command and the Xen tools see the host's environment.
# (/init itself still runs busybox applets first: Debian's busybox sh prefers its applets over
# PATH, so the command is started as /bin/sh, the host's, below.)
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/usr/lib/xen-4.17/bin
export HOME=/root
export LANG=C.UTF-8
cd /root

mark "mounts done, uptime $(cut -d' ' -f1 /proc/uptime)"

# Xen daemons. Daemons must not inherit a pipe that /init waits on: everything logs to files.
L=$S/dom0
XB=/usr/lib/xen-4.17/bin
# A trace of every xenstore request when the harness asks for it (run.sh --xenstore-trace).
TRACE=""
[ -f "$S/xenstore-trace" ] && TRACE="-T $L/xenstored-trace.log"
# Which xenstored: the one run.sh names (Debian's choice by default, see run.sh --xenstored).
XSD=$XB/xenstored
[ -s "$S/xenstored" ] && XSD=$(cat "$S/xenstored")
export XENSTORED_ROOTDIR=/run/xenstored
case "$XSD" in
    *oxenstored)
        # As Debian's init script starts it; the trace option is C xenstored's.
        $XSD --pid-file /run/xenstored.pid > "$L/xenstored.log" 2>&1 < /dev/null || fail "oxenstored" ;;
    *)
        $XSD --pid-file=/run/xenstored.pid $TRACE > "$L/xenstored.log" 2>&1 < /dev/null || fail "xenstored" ;;
esac
i=0
while [ ! -S /run/xenstored/socket ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
[ -S /run/xenstored/socket ] || fail "xenstored socket did not appear"
$XB/xen-init-dom0 > "$L/xen-init-dom0.log" 2>&1 < /dev/null || fail "xen-init-dom0"
i=0
while [ ! -s /run/xenstored.pid ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
echo "running: $(readlink /proc/"$(cat /run/xenstored.pid 2>/dev/null)"/exe 2>/dev/null || echo unknown) pid $(cat /run/xenstored.pid 2>/dev/null)" > "$L/xenstored.txt"
mkdir -p "$L/console"
$XB/xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir="$L/console" \
    > "$L/xenconsoled.log" 2>&1 < /dev/null || fail "xenconsoled"

{
    echo "kernel: $(uname -r)"
    echo "xen: $(cat /sys/hypervisor/version/major 2>/dev/null).$(cat /sys/hypervisor/version/minor 2>/dev/null)$(cat /sys/hypervisor/version/extra 2>/dev/null)"
    echo "capabilities: $(cat /proc/xen/capabilities 2>/dev/null)"
    echo "memory: $(grep MemTotal /proc/meminfo)"
    echo "cpus: $(grep -c ^processor /proc/cpuinfo)"
    echo "uptime at shell: $(cut -d' ' -f1 /proc/uptime)"
} > "$L/facts.txt" 2>&1

mark "dom0 ready, uptime $(cut -d' ' -f1 /proc/uptime)"

if [ -f "$S/cmd.sh" ]; then
    mark "cmd start"
    /bin/sh "$S/cmd.sh" > "$S/cmd.out" 2>&1 < /dev/null
    rc=$?
    echo "$rc" > "$S/cmd.rc"
    mark "cmd done rc=$rc, uptime $(cut -d' ' -f1 /proc/uptime)"
else
    fail "no $S/cmd.sh"
fi

# JVM crash reports and compiler replay files land in the command's working folder.
cp /root/hs_err_pid*.log /root/replay_pid*.log /tmp/hs_err_pid*.log "$L/" 2>/dev/null
dmesg > "$L/dmesg.txt" 2>&1
xl dmesg > "$L/xl-dmesg.txt" 2>&1
# Give background daemons a moment to flush their logs, then power off.
kill "$(cat /run/xenconsoled.pid 2>/dev/null)" 2>/dev/null
poweroff_now

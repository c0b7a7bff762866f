#!/usr/bin/env bash
# live-xen/run.sh: boots the real Xen hypervisor (Debian's xen-hypervisor-4.17-amd64) with a
# Debian Linux 6.1 PV dom0 under qemu-system-x86_64 with software emulation (TCG), runs a
# command in dom0 with the host's /usr and /etc mounted read-only over 9p (so the host's JDK and
# Xen tools run there unchanged), collects its output in a shared folder, powers off and prints
# a summary. See live-xen/README.md.
#
#   live-xen/run.sh [--command 'CMD'] [--timeout S] [--domu] [--mount DIR]... [--out DIR]
#
# Exit status: 0 when dom0 came up, CMD exited 0 (and, with --domu, the guest came up and
# passed its checks); 1 when any of those failed; 2 for bad usage or a missing prerequisite.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")

# --- options --------------------------------------------------------------------------------
CMD=""
TIMEOUT=1800
DOMU=false
DOMU_DISK=kernel
DOMU_VIF=kernel
OUT=""
MOUNTS=()
CACHE=${XEN4J_LIVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xen4j-live}
INSTALL=auto
PREPARE_ONLY=false
VERBOSE=false
XS_TRACE=false
XS_CHOICE=debian
JDK=${XEN4J_LIVE_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
MEM_MB=3072
# -smap: with it dom0 crashes at its first page fault. No AVX/AVX2/FMA/F16C/BMI: glibc's and
# the JVM's AVX2 code paths run on QEMU 7.2's new (first-release) TCG emulation of them; with
# them one run saw a JVM crash in C1 code installation and an xl glibc assertion (see README).
CPU=${XEN4J_LIVE_CPU:-max,-smap,-avx,-avx2,-fma,-f16c,-bmi1,-bmi2}
DOM0_MEM=1536M
# One host thread for all vCPUs (thread=single): with multi-threaded TCG, the dom0 JVM's C1
# compiler crashed twice while installing code (relocInfo_x86.cpp:110, bytes it had just written
# read back as something else), at load 6 and 16: see README, traps. $XEN4J_LIVE_TCG_THREAD=multi
# (or --tcg-thread multi) goes back.
TCG_THREAD=${XEN4J_LIVE_TCG_THREAD:-single}
# dom0 gets one vCPU: with two, four of five runs of this session saw the JVM's compiler
# threads in dom0 crash on corrupted memory (thread=single as well as multi, with and without
# the domU's backends). The machine keeps two processors (-smp), so that ACPI processor 1, which
# the platform contract uploads power data for, exists. With one host thread for the vCPUs
# (above) a second dom0 vCPU would add no speed anyway.
SMP=${XEN4J_LIVE_SMP:-2}
DOM0_VCPUS=${XEN4J_LIVE_DOM0_VCPUS:-1}

usage() {
    cat <<'EOF'
usage: live-xen/run.sh [options]
  --command 'CMD'   shell command run in dom0 (sh, cwd /root, output in OUT/cmd.out);
                    default: ls -l /dev/xen; xenstore-ls /local/domain/0 | head; java -version
  --timeout S       kill QEMU after S seconds (default 1800)
  --domu            also start a small PV domU with `xl create` before CMD (disk on the
                    kernel's blkback, vif on the kernel's netback), report it, destroy it after
  --domu-disk kernel|none, --domu-vif kernel|none
                    (imply --domu) leave the disk or the vif out: the command attaches its own
                    backend; the guest checks devices that appear later too
  --mount DIR       make host folder DIR visible read-only at the same path in dom0 (repeatable)
  --out DIR         shared results folder (default: target/live-xen/run-<time>, link latest)
  --cache DIR       package and image cache (default ~/.cache/xen4j-live, or $XEN4J_LIVE_CACHE)
  --jdk DIR         JDK to use in dom0 (default /usr/lib/jvm/temurin-25-jdk-amd64), JAVA_HOME in CMD
  --cpu MODEL       QEMU -cpu value (default max,-smap,-avx,-avx2,-fma,-f16c,-bmi1,-bmi2,
                    or $XEN4J_LIVE_CPU)
  --tcg-thread single|multi
                    QEMU's TCG threading (default single, or $XEN4J_LIVE_TCG_THREAD)
  --smp N           processors of the machine (default 2, or $XEN4J_LIVE_SMP)
  --dom0-vcpus N    vCPUs of dom0 (default 1, or $XEN4J_LIVE_DOM0_VCPUS)
  --no-install      never apt-get install missing host tools; fail instead
  --prepare-only    fetch packages and build the images, do not boot
  --verbose         full kernel log on the serial console
  --xenstore-trace  xenstored logs every request to OUT/dom0/xenstored-trace.log
  --xenstored debian|oxenstored|c
                    which xenstored dom0 runs (default debian: the one Debian's /etc/init.d/xen
                    starts, $XENSTORED of /etc/default/xen, else oxenstored, else C xenstored)
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --command) CMD=$2; shift 2 ;;
        --command=*) CMD=${1#*=}; shift ;;
        --timeout) TIMEOUT=$2; shift 2 ;;
        --timeout=*) TIMEOUT=${1#*=}; shift ;;
        --domu) DOMU=true; shift ;;
        --domu-disk) DOMU=true; DOMU_DISK=$2; shift 2 ;;
        --domu-disk=*) DOMU=true; DOMU_DISK=${1#*=}; shift ;;
        --domu-vif) DOMU=true; DOMU_VIF=$2; shift 2 ;;
        --domu-vif=*) DOMU=true; DOMU_VIF=${1#*=}; shift ;;
        --mount) MOUNTS+=("$2"); shift 2 ;;
        --mount=*) MOUNTS+=("${1#*=}"); shift ;;
        --out) OUT=$2; shift 2 ;;
        --out=*) OUT=${1#*=}; shift ;;
        --cache) CACHE=$2; shift 2 ;;
        --cache=*) CACHE=${1#*=}; shift ;;
        --cpu) CPU=$2; shift 2 ;;
        --cpu=*) CPU=${1#*=}; shift ;;
        --jdk) JDK=$2; shift 2 ;;
        --jdk=*) JDK=${1#*=}; shift ;;
        --tcg-thread) TCG_THREAD=$2; shift 2 ;;
        --tcg-thread=*) TCG_THREAD=${1#*=}; shift ;;
        --dom0-vcpus) DOM0_VCPUS=$2; shift 2 ;;
        --dom0-vcpus=*) DOM0_VCPUS=${1#*=}; shift ;;
        --smp) SMP=$2; shift 2 ;;
        --smp=*) SMP=${1#*=}; shift ;;
        --no-install) INSTALL=never; shift ;;
        --prepare-only) PREPARE_ONLY=true; shift ;;
        --verbose) VERBOSE=true; shift ;;
        --xenstore-trace) XS_TRACE=true; shift ;;
        --xenstored) XS_CHOICE=$2; shift 2 ;;
        --xenstored=*) XS_CHOICE=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "live-xen: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ $TCG_THREAD =~ ^(single|multi)$ ]] || { echo "live-xen: --tcg-thread wants single or multi, got '$TCG_THREAD'" >&2; exit 2; }
[[ $SMP =~ ^[1-8]$ ]] || { echo "live-xen: --smp wants 1 to 8, got '$SMP'" >&2; exit 2; }
[[ $DOM0_VCPUS =~ ^[1-8]$ ]] || { echo "live-xen: --dom0-vcpus wants 1 to 8, got '$DOM0_VCPUS'" >&2; exit 2; }
[[ $TIMEOUT =~ ^[0-9]+$ ]] || { echo "live-xen: --timeout wants seconds, got '$TIMEOUT'" >&2; exit 2; }

started=$(date +%s.%N)
elapsed() { awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '[live-xen %6ss] %s\n' "$(elapsed)" "$*"; }
die() { printf 'live-xen: %s\n' "$*" >&2; exit 2; }
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE=$(load_avg)

# --- host tools -----------------------------------------------------------------------------
# qemu-system-x86 (the emulator), busybox-static (both initramfs images), kmod (depmod and
# modprobe -D resolve module dependencies), cpio (the images), xen-utils-4.17 (xenstored,
# xen-init-dom0, xenconsoled and xl, run in dom0 from the host's /usr; with
# --no-install-recommends it brings no hypervisor, and nothing on the host boots it),
# xenstore-utils (xenstore-ls). The hypervisor and the dom0 kernel are only downloaded and
# unpacked into the cache, never installed.
HOST_PACKAGES=(qemu-system-x86 busybox-static kmod cpio xen-utils-4.17 xenstore-utils iproute2 util-linux)
missing=()
for p in "${HOST_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$INSTALL" = never ] || [ "$(id -u)" != 0 ]; then
        die "missing host packages: ${missing[*]}; install them with:
  apt-get install -y --no-install-recommends ${missing[*]}"
    fi
    log "installing host packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" > /dev/null 2>&1 || {
        apt-get update -q > /dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" > /dev/null
    }
fi
[ "$(id -u)" = 0 ] || die "must run as root (the initramfs needs device nodes; 9p serves files as the QEMU user)"
[ -x "$JDK/bin/java" ] || die "no JDK at $JDK (use --jdk DIR or XEN4J_LIVE_JAVA_HOME)"
for d in /usr/lib/xen-4.17/bin/xenstored /usr/lib/xen-4.17/bin/xen-init-dom0; do
    [ -x "$d" ] || die "$d missing: apt-get install -y --no-install-recommends xen-utils-4.17"
done
# The xenstored dom0 runs. Debian's /etc/init.d/xen (which systemd runs too) starts $XENSTORED
# of /etc/default/xen if set, else the first executable of oxenstored and C xenstored: with
# xen-utils-4.17 installed that is oxenstored.
case "$XS_CHOICE" in
    debian)
        XSD=$(unset XENSTORED; . /etc/default/xen 2>/dev/null; echo "${XENSTORED:-}")
        XSD_WHY="Debian's choice: /etc/init.d/xen with XENSTORED=${XSD:-unset} in /etc/default/xen"
        if [ -z "$XSD" ]; then
            for XSD in /usr/lib/xen-4.17/bin/oxenstored /usr/lib/xen-4.17/bin/xenstored; do
                [ -x "$XSD" ] && break
            done
        fi ;;
    oxenstored|ocaml) XSD=/usr/lib/xen-4.17/bin/oxenstored; XSD_WHY="--xenstored oxenstored" ;;
    c|C|xenstored) XSD=/usr/lib/xen-4.17/bin/xenstored; XSD_WHY="--xenstored c" ;;
    *) die "--xenstored wants debian, oxenstored or c, got '$XS_CHOICE'" ;;
esac
[ -x "$XSD" ] || die "xenstored $XSD missing ($XSD_WHY)"
case "$XSD" in *oxenstored) XSD_NAME="oxenstored (OCaml)" ;; *) XSD_NAME="xenstored (C)" ;; esac

# --- packages: apt-get download + dpkg-deb -x into the cache --------------------------------
mkdir -p "$CACHE/debs" "$CACHE/pkg" "$CACHE/images"
exec 9> "$CACHE/.lock"
# One harness at a time per cache: one QEMU at a time, no half-built images. QEMU inherits the
# lock, so a QEMU left behind by a killed run.sh holds it until its timeout.
if ! flock -n 9; then
    log "waiting for another live-xen run to finish (lock $CACHE/.lock)"
    flock 9
    log "lock acquired"
fi

apt_updated=false
apt_depends() { # first "Depends:" target of package $1, from the local lists
    apt-cache depends "$1" 2>/dev/null | awk '/^ *Depends:/ { print $2; exit }'
}
resolve_kernel_pkg() {
    if [ -n "${XEN4J_LIVE_KERNEL_PKG:-}" ]; then echo "$XEN4J_LIVE_KERNEL_PKG"; return; fi
    local k
    k=$(apt_depends linux-image-amd64)
    if [ -z "$k" ] && ! $apt_updated; then
        log "apt-get update (apt-cache knows no linux-image-amd64)" >&2
        apt-get update -q > /dev/null 2>&1 || true
        apt_updated=true
        k=$(apt_depends linux-image-amd64)
    fi
    if [ -z "$k" ]; then # offline and no lists: whatever the cache already has
        k=$(cd "$CACHE/pkg" 2>/dev/null && ls -d linux-image-6.1.* 2>/dev/null | sed 's/_.*//' | sort -V | tail -n 1)
    fi
    [ -n "$k" ] || die "cannot tell which linux-image-6.1 package linux-image-amd64 depends on (apt-get update?)"
    echo "$k"
}
fetch() { # fetch PKG: unpack Debian package PKG into $CACHE/pkg/PKG_VERSION, print that folder
    local pkg=$1 ver dir deb
    ver=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ { print $2 }')
    if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
        if ! $apt_updated; then
            log "apt-get update (apt-cache knows no $pkg)" >&2
            apt-get update -q > /dev/null 2>&1 || true
            apt_updated=true
        fi
        ver=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ { print $2 }')
    fi
    if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
        dir=$(ls -d "$CACHE/pkg/${pkg}_"* 2>/dev/null | sort -V | tail -n 1)
        [ -n "$dir" ] && [ -f "$dir/.unpacked" ] || die "package $pkg not known to apt and not in $CACHE"
        echo "$dir"; return
    fi
    dir="$CACHE/pkg/${pkg}_${ver//:/%3a}"
    if [ ! -f "$dir/.unpacked" ]; then
        deb=$(ls "$CACHE/debs/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
        if [ -z "$deb" ]; then
            log "downloading $pkg $ver" >&2
            (cd "$CACHE/debs" && apt-get download -q "$pkg=$ver" > /dev/null 2>&1) \
                || die "apt-get download $pkg=$ver failed"
            deb=$(ls "$CACHE/debs/${pkg}_"*.deb | grep -F "${ver//:/%3a}" | head -n 1)
        fi
        log "unpacking $(basename "$deb")" >&2
        rm -rf "$dir"
        dpkg-deb -x "$deb" "$dir"
        touch "$dir/.unpacked"
    fi
    echo "$dir"
}

KPKG=$(resolve_kernel_pkg)
KVER=${KPKG#linux-image-}
XEN_DIR=$(fetch xen-hypervisor-4.17-amd64)
K_DIR=$(fetch "$KPKG")
XEN_VERSION=$(basename "$XEN_DIR" | sed 's/^xen-hypervisor-4.17-amd64_//')
IMG="$CACHE/images"

# Xen: QEMU's multiboot loader wants the ELF, not the .gz.
if [ ! -f "$IMG/xen" ] || [ "$(cat "$IMG/xen.from" 2>/dev/null)" != "$XEN_DIR" ]; then
    gunzip -c "$XEN_DIR/boot/xen-4.17-amd64.gz" > "$IMG/xen.tmp"
    mv "$IMG/xen.tmp" "$IMG/xen"
    echo "$XEN_DIR" > "$IMG/xen.from"
fi
if [ ! -f "$IMG/vmlinuz" ] || [ "$(cat "$IMG/vmlinuz.from" 2>/dev/null)" != "$K_DIR" ]; then
    cp "$K_DIR/boot/vmlinuz-$KVER" "$IMG/vmlinuz.tmp"
    mv "$IMG/vmlinuz.tmp" "$IMG/vmlinuz"
    echo "$K_DIR" > "$IMG/vmlinuz.from"
fi
if [ ! -f "$K_DIR/lib/modules/$KVER/modules.dep.bin" ] || [ ! -f "$K_DIR/.depmod" ]; then
    depmod -b "$K_DIR" "$KVER"
    touch "$K_DIR/.depmod"
fi

# --- initramfs images -----------------------------------------------------------------------
DOM0_MODULES=(xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-blkback xen-netback loop
    virtio_pci 9pnet_virtio 9p overlay bridge tun)
DOMU_MODULES=(xen-blkfront xen-netfront)

# build_initrd NAME INIT_SCRIPT LINK_BIN_TO_USR MODULE...: $IMG/NAME.gz, rebuilt only when its
# inputs change.
build_initrd() {
    local name=$1 init=$2 usr_links=$3; shift 3
    local key
    key=$( { echo "v3 $KVER $usr_links $*"; cat "$init"; sha256sum /bin/busybox; } | sha256sum | cut -c1-16)
    if [ -f "$IMG/$name.gz" ] && [ "$(cat "$IMG/$name.key" 2>/dev/null)" = "$key" ]; then
        return
    fi
    log "building $name (modules: $*)"
    local stage
    stage=$(mktemp -d "$CACHE/build-$name.XXXXXX")
    mkdir -p "$stage"/{bb,modules,proc,sys,dev,etc,mnt,run,tmp,var,root,usr}
    cp "$init" "$stage/init"
    chmod 755 "$stage/init"
    cp /bin/busybox "$stage/bb/busybox"
    local a
    for a in $(/bin/busybox --list); do
        # `busybox --list` names busybox itself: linking it would overwrite the binary.
        [ "$a" = busybox ] || ln -s busybox "$stage/bb/$a"
    done
    if [ "$usr_links" = usr ]; then
        # dom0 mounts the host's merged /usr; these make /bin/sh, /lib64/ld-linux... resolve.
        for a in bin sbin lib lib64; do ln -s "usr/$a" "$stage/$a"; done
    else
        ln -s bb "$stage/bin"; ln -s bb "$stage/sbin"
    fi
    mknod -m 600 "$stage/dev/console" c 5 1
    mknod -m 666 "$stage/dev/null" c 1 3
    local m ko seen=" "
    : > "$stage/modules/order"
    for m in "$@"; do
        local deps
        deps=$(modprobe -D -d "$K_DIR" -S "$KVER" "$m" 2>&1) || die "module $m not found in $KPKG: $deps"
        while read -r verb path _; do
            [ "$verb" = insmod ] || continue
            ko=$(basename "$path")
            case "$seen" in *" $ko "*) continue ;; esac
            seen="$seen$ko "
            cp "$path" "$stage/modules/$ko"
            echo "$ko" >> "$stage/modules/order"
        done <<< "$deps"
    done
    (cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$IMG/$name.gz.tmp"
    mv "$IMG/$name.gz.tmp" "$IMG/$name.gz"
    echo "$key" > "$IMG/$name.key"
    rm -rf "$stage"
}
build_initrd dom0-initrd "$HERE/dom0-init.sh" usr "${DOM0_MODULES[@]}"
build_initrd domu-initrd "$HERE/domu-init.sh" bb "${DOMU_MODULES[@]}"
PREPARE_S=$(elapsed)
log "images ready in $IMG (xen $XEN_VERSION, kernel $KVER)"
$PREPARE_ONLY && exit 0

# --- shared folder and the command ----------------------------------------------------------
if [ -z "$OUT" ]; then
    OUT="$REPO/target/live-xen/run-$(date +%Y%m%d-%H%M%S)"
    mkdir -p "$OUT"
    ln -sfn "$(basename "$OUT")" "$REPO/target/live-xen/latest"
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -rf "$OUT/dom0" "$OUT/domu" "$OUT/dom0-tests" "$OUT/e2e" "$OUT"/cmd.* "$OUT/xenstore-trace" "$OUT/xenstored" "$OUT/summary.txt" "$OUT/summary.properties" "$OUT/serial.log" "$OUT/mounts.list"
case "$OUT" in *,*) die "the results folder path must not contain a comma: $OUT" ;; esac

case "$JDK" in
    /usr/*) ;;
    *) MOUNTS+=("$JDK") ;;
esac

if [ -z "$CMD" ]; then
    CMD='set -e
echo "== ls -l /dev/xen"; ls -l /dev/xen
echo "== xenstore-ls /local/domain/0 | head"; xenstore-ls /local/domain/0 | head
echo "== java -version"; time "$JAVA_HOME/bin/java" -version'
fi
{
    echo "# written by live-xen/run.sh; runs in dom0 as: sh /mnt/shared/cmd.sh"
    echo "export JAVA_HOME='$JDK'"
    echo "export XEN4J_LIVE_SHARED=/mnt/shared"
    if $DOMU; then
        echo 'echo "== domU: xl create"'
        echo "export XEN4J_DOMU_DISK=$DOMU_DISK XEN4J_DOMU_VIF=$DOMU_VIF"
        echo 'sh /mnt/harness/domu-smoke.sh; domu_rc=$?; echo "domu-smoke rc=$domu_rc"'
        echo 'cat /mnt/shared/domu/result.properties; cat /mnt/shared/domu/xl-list.txt'
        echo 'export XEN4J_DOMU_NAME=xen4j-domu'
        echo '( # the command'
        printf '%s\n' "$CMD"
        echo ') ; rc=$?'
        echo 'echo "== domU: xl destroy"; sh /mnt/harness/domu-smoke.sh stop'
        echo 'exit $rc'
    else
        printf '%s\n' "$CMD"
    fi
} > "$OUT/cmd.sh"
$XS_TRACE && touch "$OUT/xenstore-trace"
echo "$XSD" > "$OUT/xenstored"

VIRTFS=(
    -virtfs "local,path=/usr,mount_tag=hostusr,security_model=none,readonly=on"
    -virtfs "local,path=/etc,mount_tag=hostetc,security_model=none,readonly=on"
    -virtfs "local,path=$OUT,mount_tag=shared,security_model=none"
    -virtfs "local,path=$IMG,mount_tag=images,security_model=none,readonly=on"
    -virtfs "local,path=$HERE,mount_tag=harness,security_model=none,readonly=on"
)
n=0
: > "$OUT/mounts.list"
for m in "${MOUNTS[@]}"; do
    [ -d "$m" ] || die "--mount $m: not a folder"
    m=$(cd "$m" && pwd)
    case "$m" in *,*) die "--mount path must not contain a comma: $m" ;; esac
    VIRTFS+=(-virtfs "local,path=$m,mount_tag=m$n,security_model=none,readonly=on")
    echo "m$n $m" >> "$OUT/mounts.list"
    n=$((n + 1))
done

# --- boot -----------------------------------------------------------------------------------
XEN_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=$DOM0_MEM,max:$DOM0_MEM dom0_max_vcpus=$DOM0_VCPUS loglvl=all guest_loglvl=all cpufreq=dom0-kernel"
DOM0_CMDLINE="console=hvc0 earlyprintk=xen rdinit=/init"
$VERBOSE || DOM0_CMDLINE="$DOM0_CMDLINE loglevel=4"
SERIAL="$OUT/serial.log"
: > "$SERIAL"

QEMU=(qemu-system-x86_64 -machine q35 -accel "tcg,thread=$TCG_THREAD" -cpu "$CPU" -smp "$SMP" -m "$MEM_MB"
    -nographic -monitor none -serial "file:$SERIAL" -nic none -no-reboot -display none
    -kernel "$IMG/xen" -append "$XEN_CMDLINE"
    -initrd "$IMG/vmlinuz $DOM0_CMDLINE,$IMG/dom0-initrd.gz"
    "${VIRTFS[@]}")
printf '%q ' timeout -k 15 "$TIMEOUT" nice -n 10 "${QEMU[@]}" > "$OUT/qemu-command.txt"
echo >> "$OUT/qemu-command.txt"

log "booting Xen + dom0 under QEMU (TCG), timeout ${TIMEOUT}s, results in $OUT"
qemu_start=$(date +%s.%N)
timeout -k 15 "$TIMEOUT" nice -n 10 "${QEMU[@]}" < /dev/null > "$OUT/qemu.log" 2>&1 &
QPID=$!
cleanup() {
    if kill -0 "$QPID" 2>/dev/null; then
        kill "$QPID" 2>/dev/null || true   # timeout forwards the signal to QEMU
        sleep 1
        kill -9 "$QPID" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

since_qemu() { awk -v a="$qemu_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
declare -A SEEN=()
watch_marks() {
    local key pat
    for key in xen dom0_kernel init mounts ready cmd_start cmd_done poweroff fail; do
        [ -n "${SEEN[$key]:-}" ] && continue
        case $key in
            xen) pat='Xen version 4\.17' ;;
            dom0_kernel) pat='Linux version 6\.1' ;;
            init) pat='XEN4J-LIVE: init started' ;;
            mounts) pat='XEN4J-LIVE: mounts done' ;;
            ready) pat='XEN4J-LIVE: dom0 ready' ;;
            cmd_start) pat='XEN4J-LIVE: cmd start' ;;
            cmd_done) pat='XEN4J-LIVE: cmd done' ;;
            poweroff) pat='XEN4J-LIVE: poweroff' ;;
            fail) pat='XEN4J-LIVE: FAIL' ;;
        esac
        if grep -aq "$pat" "$SERIAL" 2>/dev/null; then
            SEEN[$key]=$(since_qemu)
            case $key in
                xen) log "Xen started (${SEEN[$key]}s)" ;;
                dom0_kernel) log "dom0 kernel started (${SEEN[$key]}s)" ;;
                ready) log "dom0 ready: xenstored and xen-init-dom0 done (${SEEN[$key]}s after QEMU start)" ;;
                cmd_done) log "command done (${SEEN[$key]}s)" ;;
                fail) log "dom0 init reported a failure: $(grep -a 'XEN4J-LIVE: FAIL' "$SERIAL" | head -n 3 | tr -d '\r')" ;;
            esac
        fi
    done
}
while kill -0 "$QPID" 2>/dev/null; do
    watch_marks
    sleep 0.5
done
set +e
wait "$QPID"
QEMU_RC=$?
set -e
watch_marks
trap - EXIT
QEMU_S=$(since_qemu)
LOAD_AFTER=$(load_avg)

# --- summary --------------------------------------------------------------------------------
s_ready=${SEEN[ready]:-}
cmd_rc=$(cat "$OUT/cmd.rc" 2>/dev/null || echo "")
cmd_s=""
if [ -n "${SEEN[cmd_start]:-}" ] && [ -n "${SEEN[cmd_done]:-}" ]; then
    cmd_s=$(awk -v a="${SEEN[cmd_start]}" -v b="${SEEN[cmd_done]}" 'BEGIN { printf "%.1f", b - a }')
fi
result=PASS
why=()
[ -n "$s_ready" ] || { result=FAIL; why+=("dom0 did not come up"); }
[ "$cmd_rc" = 0 ] || { result=FAIL; why+=("command exit code ${cmd_rc:-none}"); }
domu_up="" domu_line=""
if $DOMU; then
    P="$OUT/domu/result.properties"
    prop() { sed -n "s/^$1=//p" "$P" 2>/dev/null | tail -n 1; }
    domu_up=$(prop up)
    domu_line="up=${domu_up:-no} listed=$(prop listed) create=$(prop create_s)s selfcheck=$(prop selfcheck_s)s blk=$(prop blk) net=$(prop net) vbd-backend-state=$(prop vbd_backend_state) vif-backend-state=$(prop vif_backend_state)"
    neg=$(prop blk_negotiated)
    [ -n "$neg" ] && domu_line="$domu_line
                       Linux blkfront saw: ${neg#blkfront: }"
    [ "$domu_up" = yes ] && [ "$(prop blk)" != FAIL ] && [ "$(prop net)" != FAIL ] \
        || { result=FAIL; why+=("domU: $domu_line"); }
fi
[ "$QEMU_RC" = 124 ] || [ "$QEMU_RC" = 137 ] && why+=("QEMU killed by the ${TIMEOUT}s timeout")
TOTAL_S=$(elapsed)
failures=$(grep -a 'XEN4J-LIVE: FAIL' "$SERIAL" 2>/dev/null | sed 's/.*XEN4J-LIVE: FAIL /  /' | tr -d '\r' || true)

{
    echo "live-xen summary"
    echo "  xen:                 $XEN_VERSION (xen-hypervisor-4.17-amd64), dom0 kernel $KVER"
    echo "  prepare (cache):     ${PREPARE_S}s"
    echo "  Xen banner:          ${SEEN[xen]:--}s after QEMU start"
    echo "  dom0 kernel:         ${SEEN[dom0_kernel]:--}s"
    echo "  dom0 init:           ${SEEN[init]:--}s"
    echo "  time to dom0 shell:  ${s_ready:-never}s (xenstored + xen-init-dom0 up)"
    echo "  xenstored:           $XSD_NAME, $XSD ($XSD_WHY)$(sed -n 's/^running: /; running in dom0: /p' "$OUT/dom0/xenstored.txt" 2>/dev/null)"
    echo "  command exit code:   ${cmd_rc:-none} (ran ${cmd_s:--}s)"
    $DOMU && echo "  domU:                $domu_line"
    echo "  QEMU:                exit $QEMU_RC after ${QEMU_S}s (TCG thread=$TCG_THREAD, $SMP processors, dom0 $DOM0_VCPUS vCPU, -cpu $CPU)"
    echo "  total:               ${TOTAL_S}s"
    echo "  load average:        before $LOAD_BEFORE, after $LOAD_AFTER ($(nproc) cores)"
    echo "  results:             $OUT"
    if [ -f "$OUT/dom0-tests/dom0-tests.properties" ]; then
        T="$OUT/dom0-tests/dom0-tests.properties"
        tprop() { sed -n "s/^$1=//p" "$T" | tail -n 1; }
        echo "  tests in dom0:       $(tprop found) found, $(tprop passed) passed, $(tprop failed) failed, $(tprop skipped) skipped (tag $(tprop tag), $(tprop seconds)s)"
    fi
    [ -n "$failures" ] && { echo "  dom0 init failures:"; echo "$failures"; }
    [ ${#why[@]} -gt 0 ] && printf '  why:                 %s\n' "${why[@]}"
    echo "  RESULT:              $result"
} > "$OUT/summary.txt"
{
    echo "result=$result"
    echo "xen_version=$XEN_VERSION"
    echo "kernel=$KVER"
    echo "prepare_s=$PREPARE_S"
    echo "xenstored=$XSD"
    echo "dom0_ready_s=$s_ready"
    echo "cmd_rc=$cmd_rc"
    echo "cmd_s=$cmd_s"
    echo "domu_up=$domu_up"
    echo "qemu_rc=$QEMU_RC"
    echo "qemu_s=$QEMU_S"
    echo "total_s=$TOTAL_S"
    echo "load_before=$LOAD_BEFORE"
    echo "load_after=$LOAD_AFTER"
} > "$OUT/summary.properties"

echo "---- command output ($OUT/cmd.out) ----"
if [ -f "$OUT/cmd.out" ]; then
    if [ "$(wc -l < "$OUT/cmd.out")" -gt 80 ]; then
        head -n 40 "$OUT/cmd.out"; echo "[...]"; tail -n 40 "$OUT/cmd.out"
    else
        cat "$OUT/cmd.out"
    fi
else
    echo "(none)"; echo "---- last lines of the serial console ($SERIAL) ----"; tail -n 40 "$SERIAL" | tr -d '\r'
fi
echo "----"
cat "$OUT/summary.txt"
[ "$result" = PASS ]

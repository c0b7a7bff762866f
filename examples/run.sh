#!/bin/sh
# examples/run.sh <Program> [arguments...]: runs one xen4j example with the JVM flags it needs.
#
#   examples/run.sh XenstoreBrowser ls /local/domain          # simulated host (the default)
#   examples/run.sh XenstoreBrowser --live ls /local/domain   # the Xen host this JVM runs in
#
# The first run builds the examples and what they need (./mvnw -DskipTests -Dmaven.javadoc.skip
# -pl examples -am package), which writes examples/target/classpath.txt; later runs start at once. Set
# XEN4J_REBUILD=1 to build again. Program is a class of io.xen4j.examples (or a full name).
# JAVA_HOME picks the JDK (25 or later).
set -e
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ]; then
    echo "usage: $0 <Program> [arguments...]; programs: Demo XenstoreBrowser DiskServer DiskClient" >&2
    echo "  ConsoleLogger ShutdownTool GrantPair EvtchnExample GntallocExample GntdevExample PrivcmdExample" >&2
    echo "  PlatformExample XenstoredMain" >&2
    exit 2
fi
if [ ! -s "$here/target/classpath.txt" ] || [ ! -d "$here/target/classes" ] || [ -n "${XEN4J_REBUILD:-}" ]; then
    (cd "$here/.." && ./mvnw -q -B -ntp -DskipTests -Dmaven.javadoc.skip -pl examples -am package) >&2
fi
java=java
[ -n "${JAVA_HOME:-}" ] && java=$JAVA_HOME/bin/java
main=$1
shift
case $main in
    *.*) ;;
    *) main=io.xen4j.examples.$main ;;
esac
# Agrona reaches jdk.internal.misc.Unsafe; the Linux HAL calls libc through FFM.
# XEN4J_JAVA_OPTS: more JVM options (live-examples.sh passes -XX:TieredStopAtLevel=1 under QEMU).
# shellcheck disable=SC2086
exec "$java" ${XEN4J_JAVA_OPTS:-} --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
    -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" "$main" "$@"

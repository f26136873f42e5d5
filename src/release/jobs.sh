#!/bin/sh
# jobs, as installed from a release: runs the bundled Java runtime on the bundled jars, with the
# AOT caches made for exactly these at build time. Nothing is built or looked up: no JDK, no
# Maven. It may be reached through symlinks (/usr/bin/jobs -> /usr/lib/jobs/bin/jobs); it finds
# the installation by resolving them (readlink -f: coreutils or busybox). The release build
# fills in the @...@ values.

self=$0
case $self in */*) ;; *) self=./$self ;; esac
# one fork, only when called through a link: the paths the JVMs and `jobs init` see stay plain
if [ -L "$self" ]; then
    self=$(readlink -f -- "$self") || { echo "jobs: cannot resolve the link $0" >&2; exit 1; }
fi
bin=${self%/*}
case $bin in /*) ;; .) bin=$PWD ;; ./*) bin=$PWD/${bin#./} ;; *) bin=$PWD/$bin ;; esac
root=${bin%/bin}
lib=$root/lib
build='@BUILD@'

# A daemon of another build (this copy was upgraded under it) hands its jobs to one of this
# build, as restart-server does: the daemon writes its build into the runtime directory, so the
# common case costs one read and no JVM. Not for the commands that end or restart the daemon
# anyway, nor for the hidden ones.
case ${1-} in
    k | kill-server | restart-server | __*) ;;
    *)
        if [ -n "${XDG_RUNTIME_DIR-}" ]; then
            runtime=$XDG_RUNTIME_DIR/job-security
        else
            uid=$(id -u)
            if [ -d "/run/user/$uid" ]; then runtime=/run/user/$uid/job-security; else runtime=/tmp/job-security-$uid; fi
        fi
        if [ -S "$runtime/sock" ]; then
            running=
            [ -r "$runtime/build" ] && read -r running <"$runtime/build"
            if [ "$running" != "$build" ]; then
                "$root/runtime/bin/java" @CLIENT_FLAGS@ \
                    -Dorg.newsclub.net.unix.library.override="$lib/native/libjunixsocket-native.so" \
                    -Djobs.runner.aot="$lib/aot/runner.aot" -Djobs.daemon.aot="$lib/aot/daemon.aot" \
                    -Djobs.build="$build" -Djobs.classpath="@CLASSPATH@" \
                    -cp "@CLASSPATH@" jobs.cli.Main __new-build </dev/null >/dev/null
            fi
        fi
        ;;
esac

# The quick commands (list, help...) have a cache of their own; the training listed their words.
cache=$lib/aot/jobs.aot
quick=
[ -r "$lib/aot/quick-words" ] && read -r quick <"$lib/aot/quick-words"
case " $quick " in *" ${1-} "*) [ -n "${1-}" ] && cache=$lib/aot/jobs-quick.aot ;; esac

# A command runs on the jars it uses; the daemon it may start gets all of them (jobs.classpath).
exec "$root/runtime/bin/java" @CLIENT_FLAGS@ -XX:AOTCache="$cache" -Xlog:aot=off,cds=off \
    -Dorg.newsclub.net.unix.library.override="$lib/native/libjunixsocket-native.so" \
    -Djobs.runner.aot="$lib/aot/runner.aot" -Djobs.daemon.aot="$lib/aot/daemon.aot" \
    -Djobs.build="$build" -Djobs.launcher="$root/bin/jobs" -Djobs.classpath="@CLASSPATH@" \
    -cp "@CLIENT_CLASSPATH@" jobs.cli.Main "$@"

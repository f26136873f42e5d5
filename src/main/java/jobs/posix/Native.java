package jobs.posix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The one place that links libc. Every downcall captures errno, so a failure can be reported as
 * {@code "tcsetpgrp: EPERM"} instead of a bare -1 (unlike jline's CLibrary, which ignores it).
 */
final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    /** An offset rather than a VarHandle: making one spins classes, a cost every client start paid. */
    private static final long ERRNO_OFFSET =
            CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    private Native() {}

    /** A downcall whose first argument is the errno capture segment. */
    static MethodHandle withErrno(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd, CAPTURE);
    }

    /** A downcall that cannot fail or reports failure in its return value (posix_spawn family). */
    static MethodHandle plain(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd);
    }

    static boolean exists(String name) {
        return LIBC.find(name).isPresent();
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** A per-call errno slot; callers allocate it from a confined arena. */
    static MemorySegment errnoSlot(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment slot) {
        return slot.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    static IOException error(String call, int errno) {
        return new IOException(call + ": " + Errno.name(errno));
    }

    /** Turns a Throwable from MethodHandle.invokeExact into something callers can handle. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}

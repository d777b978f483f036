package dev.kmodemu.kstubs;

import dev.kmodemu.firmware.CallFrame;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.firmware.Profile;
import dev.kmodemu.firmware.Stub;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds the {@link KernelSymbol} and {@link KernelData} methods of the stub classes into a
 * {@link Machine}: a trampoline per function, storage per data symbol. Bindings are validated
 * once, at boot; a malformed or duplicate binding fails fast with its method named.
 */
final class Binder {
    private Binder() {
    }

    /** A validated binding, shared by every kernel booted in this JVM. */
    record Function(String name, Method method, boolean internal) {
    }

    record Data(KernelData spec, Method method) {
    }

    private static final Map<List<Class<?>>, List<Object>> CACHE = new HashMap<>();

    /** The bindings of {@code classes}, validated. */
    static synchronized List<Object> bindings(List<Class<?>> classes) {
        List<Object> cached = CACHE.get(classes);
        if (cached != null) {
            return cached;
        }
        Profile profile = Profile.get();
        List<Object> out = new ArrayList<>();
        Map<String, Method> seen = new HashMap<>();
        for (Class<?> c : classes) {
            for (Method m : c.getDeclaredMethods()) {
                KernelSymbol ks = m.getAnnotation(KernelSymbol.class);
                KernelData kd = m.getAnnotation(KernelData.class);
                if (ks == null && kd == null) {
                    continue;
                }
                if (!Modifier.isStatic(m.getModifiers())) {
                    throw new IllegalStateException("kernel binding must be static: " + m);
                }
                m.setAccessible(true);
                if (ks != null) {
                    validateFunction(m);
                    for (String name : ks.value()) {
                        Method prev = seen.put(name, m);
                        if (prev != null) {
                            throw new IllegalStateException("kernel symbol " + name + " bound twice: " + prev + " and " + m);
                        }
                        if (!ks.internal() && !profile.exports().containsKey(name)) {
                            throw new IllegalStateException("kernel symbol " + name + " (" + m
                                    + ") is not exported by vmlinux; mark it internal = true if intended");
                        }
                        out.add(new Function(name, m, ks.internal()));
                    }
                } else {
                    Class<?>[] p = m.getParameterTypes();
                    if (p.length != 2 || p[0] != KernelContext.class || p[1] != long.class
                            || m.getReturnType() != void.class) {
                        throw new IllegalStateException("@KernelData method must be void (KernelContext, long): " + m);
                    }
                    Method prev = seen.put(kd.value(), m);
                    if (prev != null) {
                        throw new IllegalStateException("kernel symbol " + kd.value() + " bound twice: " + prev
                                + " and " + m);
                    }
                    out.add(new Data(kd, m));
                }
            }
        }
        List<Object> result = List.copyOf(out);
        CACHE.put(List.copyOf(classes), result);
        return result;
    }

    /** The Java method behind each function symbol of {@code classes}. */
    static Map<String, Method> methods(List<Class<?>> classes) {
        Map<String, Method> out = new HashMap<>();
        for (Object b : bindings(classes)) {
            if (b instanceof Function f) {
                out.put(f.name(), f.method());
            }
        }
        return out;
    }

    private static void validateFunction(Method m) {
        Class<?>[] p = m.getParameterTypes();
        for (int i = 0; i < p.length; i++) {
            Class<?> t = p[i];
            boolean ok = t == long.class || t == int.class || t == boolean.class
                    || (t == KernelContext.class && i == 0) || (t == VaList.class && i == p.length - 1);
            if (!ok) {
                throw new IllegalStateException("unsupported parameter " + t.getSimpleName() + " in " + m);
            }
        }
        Class<?> r = m.getReturnType();
        if (r != long.class && r != int.class && r != boolean.class && r != void.class) {
            throw new IllegalStateException("unsupported return type " + r.getSimpleName() + " in " + m);
        }
    }

    /** Defines every binding in {@code k}'s machine: functions first, then data (which may point at them). */
    static void install(KernelContext k, List<Object> bindings) {
        Machine m = k.machine();
        for (Object b : bindings) {
            if (b instanceof Function f) {
                Stub stub = FaultInjection.wrap(k, f.name(), new LazyStub(k, f.method()));
                m.defineFunction(f.name(), Comparisons.wrap(k, f.name(), stub));
            }
        }
        // Storage for every data symbol first, so that an initialiser may point at another one.
        List<Long> addresses = new ArrayList<>();
        for (Object b : bindings) {
            if (b instanceof Data d) {
                KernelData spec = d.spec();
                long size = spec.sizeOf().isEmpty() ? spec.size() : k.profile().value(spec.sizeOf());
                long at = m.defineData(spec.value(), spec.section(), size, spec.align());
                if (spec.section() == Machine.Section.PERCPU) {
                    at = m.percpu(spec.value());
                }
                addresses.add(at);
            }
        }
        int i = 0;
        for (Object b : bindings) {
            if (b instanceof Data d) {
                try {
                    d.method().invoke(null, k, addresses.get(i++));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("initialising " + d.spec().value() + ": " + e.getCause(), e);
                }
            }
        }
    }

    @SuppressWarnings("unused")
    private static long argLong(CallFrame f, int i) {
        return f.arg(i);
    }

    @SuppressWarnings("unused")
    private static int argInt(CallFrame f, int i) {
        return (int) f.arg(i);
    }

    @SuppressWarnings("unused")
    private static boolean argBool(CallFrame f, int i) {
        return (f.arg(i) & 0xff) != 0;
    }

    @SuppressWarnings("unused")
    private static VaList argVaList(CallFrame f, int i) {
        return new FrameVaList(f, i);
    }

    @SuppressWarnings("unused")
    private static long boolToLong(boolean b) {
        return b ? 1 : 0;
    }

    /**
     * Calls a bound method. Its adapter, built on first use (most stubs never run), reads each
     * parameter straight from the {@link CallFrame}: no boxing on the guest's call path.
     */
    private static final class LazyStub implements Stub {
        private final KernelContext k;
        private final Method method;
        private MethodHandle handle;
        private boolean isVoid;

        LazyStub(KernelContext k, Method method) {
            this.k = k;
            this.method = method;
        }

        private void build() {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                MethodHandle mh = l.unreflect(method);
                Class<?>[] params = method.getParameterTypes();
                MethodType getter = MethodType.methodType(long.class, CallFrame.class, int.class);
                MethodHandle[] filters = new MethodHandle[params.length];
                int arg = 0;
                int kept = 0;
                for (int i = 0; i < params.length; i++) {
                    Class<?> t = params[i];
                    if (t == KernelContext.class) {
                        continue;
                    }
                    String name = t == long.class ? "argLong" : t == int.class ? "argInt"
                            : t == boolean.class ? "argBool" : "argVaList";
                    MethodHandle g = l.findStatic(Binder.class, name, getter.changeReturnType(t));
                    filters[kept++] = MethodHandles.insertArguments(g, 1, t == VaList.class ? arg : arg++);
                }
                if (params.length > 0 && params[0] == KernelContext.class) {
                    mh = MethodHandles.insertArguments(mh, 0, k);
                }
                mh = MethodHandles.filterArguments(mh, 0, java.util.Arrays.copyOf(filters, kept));
                Class<?> r = method.getReturnType();
                isVoid = r == void.class;
                if (r == boolean.class) {
                    mh = MethodHandles.filterReturnValue(mh, l.findStatic(Binder.class, "boolToLong",
                            MethodType.methodType(long.class, boolean.class)));
                }
                Class<?> ret = isVoid ? void.class : long.class;
                MethodType wide = MethodType.methodType(ret, java.util.Collections.nCopies(kept, CallFrame.class));
                MethodType target = MethodType.methodType(ret, CallFrame.class);
                mh = MethodHandles.permuteArguments(mh.asType(wide), target, new int[kept]);
                handle = mh;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public long call(CallFrame frame) {
            if (handle == null) {
                build();
            }
            k.enterStub(frame);
            try {
                if (isVoid) {
                    handle.invokeExact(frame);
                    return 0;
                }
                return (long) handle.invokeExact(frame);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            } finally {
                k.leaveStub(frame);
            }
        }
    }
}

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
                m.defineFunction(f.name(), new LazyStub(k, f.method()));
            }
        }
        for (Object b : bindings) {
            if (b instanceof Data d) {
                KernelData spec = d.spec();
                long size = spec.sizeOf().isEmpty() ? spec.size() : k.profile().value(spec.sizeOf());
                long at = m.defineData(spec.value(), spec.section(), size, spec.align());
                if (spec.section() == Machine.Section.PERCPU) {
                    at = m.percpu(spec.value());
                }
                try {
                    d.method().invoke(null, k, at);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("initialising " + spec.value() + ": " + e.getCause(), e);
                }
            }
        }
    }

    /** Calls a bound method; the adapter is built on first use (most stubs never run). */
    private static final class LazyStub implements Stub {
        private final KernelContext k;
        private final Method method;
        private final Class<?>[] params;
        private MethodHandle handle;
        private boolean isVoid;
        private boolean isBoolean;

        LazyStub(KernelContext k, Method method) {
            this.k = k;
            this.method = method;
            this.params = method.getParameterTypes();
        }

        private void build() {
            try {
                MethodHandle mh = MethodHandles.lookup().unreflect(method);
                Class<?> r = method.getReturnType();
                isVoid = r == void.class;
                isBoolean = r == boolean.class;
                if (isBoolean) {
                    mh = MethodHandles.filterReturnValue(mh, MethodHandles.lookup().findStatic(LazyStub.class,
                            "boolToLong", MethodType.methodType(long.class, boolean.class)));
                }
                MethodType target = MethodType.methodType(isVoid ? void.class : long.class, Object[].class);
                handle = mh.asSpreader(Object[].class, params.length).asType(target);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        @SuppressWarnings("unused")
        private static long boolToLong(boolean b) {
            return b ? 1 : 0;
        }

        @Override
        public long call(CallFrame frame) {
            if (handle == null) {
                build();
            }
            Object[] a = new Object[params.length];
            int arg = 0;
            for (int i = 0; i < params.length; i++) {
                Class<?> t = params[i];
                if (t == KernelContext.class) {
                    a[i] = k;
                } else if (t == VaList.class) {
                    a[i] = new FrameVaList(frame, arg);
                } else if (t == long.class) {
                    a[i] = frame.arg(arg++);
                } else if (t == int.class) {
                    a[i] = (int) frame.arg(arg++);
                } else {
                    a[i] = (frame.arg(arg++) & 0xff) != 0;
                }
            }
            k.enterStub(frame);
            try {
                if (isVoid) {
                    handle.invokeExact(a);
                    return 0;
                }
                return (long) handle.invokeExact(a);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            } finally {
                k.leaveStub();
            }
        }
    }
}

package dev.kmodemu.emu;

import java.io.ByteArrayOutputStream;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A snapshot of the Java side of an emulated machine: every object reachable from some roots, taken
 * by walking the object graph once and compiled into a flat list of cells (a non-final field, an
 * array's contents, a collection's elements) that {@link #restore()} writes back. Objects created
 * after the snapshot become unreachable again; objects that existed keep their identity, so
 * references held anywhere in the graph stay valid. Restoring costs one pass over the cells, with
 * collections compared element by element and rebuilt only when they changed.
 *
 * <p>What the walk does with an object:
 * <ul>
 *   <li>immutable values (strings, boxed numbers, enums, classes, reflection and method handles,
 *       records and types named {@code immutable} by the caller) are leaves;</li>
 *   <li>identity-only objects (threads, locks, semaphores, native memory segments) are leaves too:
 *       the reference is restored, their internal state is not (native memory has its own
 *       snapshot, see {@link PhysicalMemory#track()});</li>
 *   <li>arrays and the mutable {@code java.util} collections and maps have their contents saved;
 *       immutable collections ({@code List.of}, unmodifiable views) are walked;</li>
 *   <li>{@link ByteArrayOutputStream}, {@link StringBuilder}, atomics and {@link BitSet} are saved
 *       through their public API;</li>
 *   <li>every other object of the JDK is refused with the path that reached it (so that a new kind
 *       of state fails loudly instead of silently leaking between runs);</li>
 *   <li>other objects (kmodemu's own, lambdas) have each non-final instance field saved and each
 *       reference field walked, except fields marked {@link Exclude};</li>
 *   <li>a {@link Participant} is asked for its own restore action, and walked unless it says not to.</li>
 * </ul>
 *
 * <p>{@link #digest} renders the same graph as canonical text, so that a test can check that a
 * restored machine is indistinguishable from the snapshot. Not thread-safe.
 */
public final class StateSnapshot {
    /**
     * A field the snapshot leaves alone: state that no longer changes once the machine has booted,
     * a cache its owner rebuilds, or state its owner's {@link Participant} action restores.
     */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Exclude {
        /** Why the field needs no restoring. */
        String value();
    }

    /**
     * A collection field whose owner counts its changes in another field (named here): a restore
     * compares the collection with its saved contents only if the count moved. The collection is
     * still walked, so what it holds is saved as usual.
     */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Guarded {
        /** The {@code long} field of the same object that every change of the collection increments. */
        String value();
    }

    /** An object that takes part in snapshots with an action of its own. */
    public interface Participant {
        /**
         * Called when a snapshot is taken; the returned action runs when it is restored, before
         * the fields the walk saved are written back (so it still sees the state being left).
         */
        Runnable capture();

        /** False if {@link #capture()}'s action restores everything: the walk skips the object's fields. */
        default boolean walkFields() {
            return true;
        }

        /** Called at the end of each restore, once every saved object has its old state again. */
        default void restored() {
        }
    }

    /** The graph holds state the snapshot cannot save. */
    public static final class UnsupportedStateException extends IllegalStateException {
        public UnsupportedStateException(String message) {
            super(message);
        }
    }

    private final Runnable[] actions;
    private final Cell[] cells;
    private final Participant[] participants;
    private final GuardedCell[] guarded;
    private final int objects;

    private StateSnapshot(Runnable[] actions, Cell[] cells, Participant[] participants, GuardedCell[] guarded,
            int objects) {
        this.actions = actions;
        this.cells = cells;
        this.participants = participants;
        this.guarded = guarded;
        this.objects = objects;
    }

    /**
     * Snapshots everything reachable from {@code roots}; instances of {@code immutable} (and their
     * subclasses) are treated as values.
     *
     * @throws UnsupportedStateException naming the path to state that cannot be saved
     */
    public static StateSnapshot capture(Set<Class<?>> immutable, Object... roots) {
        Capture c = new Capture(immutable);
        c.walk(roots);
        return new StateSnapshot(c.actions.toArray(new Runnable[0]), c.cells.toArray(new Cell[0]),
                c.participants.toArray(new Participant[0]), c.guardedCells.toArray(new GuardedCell[0]),
                c.visited.size());
    }

    /** Brings every saved object back to its state at {@link #capture}. */
    public void restore() {
        for (GuardedCell g : guarded) {
            g.check();
        }
        for (Runnable a : actions) {
            a.run();
        }
        for (Cell c : cells) {
            c.restore();
        }
        for (Participant p : participants) {
            p.restored();
        }
    }

    /** Objects the snapshot reached. */
    public int objects() {
        return objects;
    }

    /** Saved cells (fields, arrays, collections) that each restore writes back. */
    public int cells() {
        return cells.length;
    }

    /**
     * The graph reachable from {@code roots} as canonical text: objects numbered in the order a
     * walk meets them, fields by name, hash maps and sets in key order. Two digests are equal when
     * the graphs hold the same values in the same shape.
     */
    public static String digest(Set<Class<?>> immutable, Object... roots) {
        Digest d = new Digest(immutable);
        d.walk(roots);
        return d.out.toString();
    }

    // ---------------------------------------------------------------- classification

    private enum Kind { LEAF, OPAQUE, ARRAY, COLLECTION, MAP, FROZEN_COLLECTION, FROZEN_MAP, SPECIAL, OBJECT }

    private static final Map<Class<?>, Kind> KINDS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Field[]> FIELDS = new ConcurrentHashMap<>();

    private static Kind kind(Class<?> c, Set<Class<?>> immutable) {
        for (Class<?> i : immutable) {
            if (i.isAssignableFrom(c)) {
                return Kind.LEAF;
            }
        }
        return KINDS.computeIfAbsent(c, StateSnapshot::classify);
    }

    private static Kind classify(Class<?> c) {
        if (c.isArray()) {
            return Kind.ARRAY;
        }
        if (c == String.class || Number.class.isAssignableFrom(c) && c.getName().startsWith("java.lang.")
                || c == Boolean.class || c == Character.class || c.isEnum() || Enum.class.isAssignableFrom(c)
                || c == Class.class || java.lang.reflect.Member.class.isAssignableFrom(c)
                || java.lang.invoke.MethodHandle.class.isAssignableFrom(c)
                || java.lang.invoke.VarHandle.class.isAssignableFrom(c)
                || c == java.lang.invoke.MethodType.class || c == java.math.BigInteger.class
                || c == java.math.BigDecimal.class || java.nio.charset.Charset.class.isAssignableFrom(c)
                || c == java.util.regex.Pattern.class || java.nio.file.Path.class.isAssignableFrom(c)
                || c.getName().startsWith("java.time.") || c == java.util.UUID.class || c == java.util.Locale.class
                || c == java.util.Optional.class || c == Module.class
                || ClassLoader.class.isAssignableFrom(c)
                || (c.isRecord() && c.getName().startsWith("java."))) {
            return Kind.LEAF;
        }
        if (Thread.class.isAssignableFrom(c) || MemorySegment.class.isAssignableFrom(c)
                || java.lang.foreign.Arena.class.isAssignableFrom(c)
                || c.getName().startsWith("java.util.concurrent.locks.")
                || c == java.util.concurrent.Semaphore.class || c == java.util.concurrent.CountDownLatch.class
                || java.util.concurrent.Future.class.isAssignableFrom(c)
                || java.util.concurrent.Executor.class.isAssignableFrom(c)
                || java.lang.ref.Reference.class.isAssignableFrom(c) || c == Object.class) {
            return Kind.OPAQUE;
        }
        String n = c.getName();
        boolean jdk = n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.");
        if (jdk && (n.startsWith("java.util.ImmutableCollections$") || n.startsWith("java.util.Collections$Unmodifiable")
                || n.startsWith("java.util.Collections$Empty") || n.startsWith("java.util.Collections$Singleton")
                || n.startsWith("java.util.Arrays$ArrayList"))) {
            return Map.class.isAssignableFrom(c) ? Kind.FROZEN_MAP : Kind.FROZEN_COLLECTION;
        }
        if (jdk && Map.class.isAssignableFrom(c)) {
            return Kind.MAP;
        }
        if (jdk && Collection.class.isAssignableFrom(c)) {
            return Kind.COLLECTION;
        }
        if (c == ByteArrayOutputStream.class || c == StringBuilder.class || c == AtomicLong.class
                || c == AtomicInteger.class || c == AtomicBoolean.class || c == AtomicReference.class
                || c == BitSet.class) {
            return Kind.SPECIAL;
        }
        if (jdk) {
            return null;
        }
        return Kind.OBJECT;
    }

    private static Field[] fields(Class<?> c) {
        return FIELDS.computeIfAbsent(c, cl -> {
            List<Field> out = new ArrayList<>();
            for (Class<?> k = cl; k != null && k != Object.class; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.isAnnotationPresent(Exclude.class)) {
                        continue;
                    }
                    f.setAccessible(true);
                    out.add(f);
                }
            }
            return out.toArray(new Field[0]);
        });
    }

    // ---------------------------------------------------------------- the walk

    /** A breadth-first walk over the graph with a visitor per kind of object. */
    private abstract static class Walk {
        final Set<Class<?>> immutable;
        final IdentityHashMap<Object, Integer> visited = new IdentityHashMap<>();
        final IdentityHashMap<Object, String> path = new IdentityHashMap<>();
        final ArrayDeque<Object> queue = new ArrayDeque<>();

        Walk(Set<Class<?>> immutable) {
            this.immutable = immutable;
        }

        void walk(Object[] roots) {
            for (Object r : roots) {
                reach(r, r == null ? "root" : r.getClass().getSimpleName());
            }
            while (!queue.isEmpty()) {
                Object o = queue.poll();
                visit(o, kindOf(o));
            }
        }

        Kind kindOf(Object o) {
            Kind k = kind(o.getClass(), immutable);
            if (k == null) {
                throw new UnsupportedStateException("kmodemu: cannot snapshot " + o.getClass().getName() + " at "
                        + path.get(o) + ": give its owner a StateSnapshot.Participant or mark the field @Exclude");
            }
            return k;
        }

        /** Queues {@code o} if it is walked and not yet seen. */
        void reach(Object o, String how) {
            if (o == null || visited.containsKey(o)) {
                return;
            }
            Kind k = kind(o.getClass(), immutable);
            if (k == Kind.LEAF || k == Kind.OPAQUE) {
                return;
            }
            visited.put(o, visited.size());
            path.put(o, how);
            queue.add(o);
        }

        abstract void visit(Object o, Kind k);
    }

    private static final class Capture extends Walk {
        final List<Cell> cells = new ArrayList<>();
        final List<Runnable> actions = new ArrayList<>();
        final List<Participant> participants = new ArrayList<>();
        final List<GuardedCell> guardedCells = new ArrayList<>();
        /** Collections whose owner guards them: the owner and the counter field. */
        final IdentityHashMap<Object, Object[]> guards = new IdentityHashMap<>();

        Capture(Set<Class<?>> immutable) {
            super(immutable);
        }

        private Cell guard(Object collection, Cell plain) {
            Object[] g = guards.get(collection);
            if (g == null) {
                return plain;
            }
            GuardedCell c = new GuardedCell(g[0], (Field) g[1], plain);
            guardedCells.add(c);
            return c;
        }

        @Override
        void visit(Object o, Kind k) {
            String at = path.get(o);
            switch (k) {
                case ARRAY -> {
                    cells.add(new ArrayCell(o));
                    if (o instanceof Object[] a) {
                        for (int i = 0; i < a.length; i++) {
                            reach(a[i], at + "[" + i + "]");
                        }
                    }
                }
                case COLLECTION -> {
                    CollectionCell c = new CollectionCell((Collection<?>) o);
                    cells.add(guard(o, c));
                    for (Object e : c.saved) {
                        reach(e, at + "[]");
                    }
                }
                case FROZEN_COLLECTION -> {
                    for (Object e : (Collection<?>) o) {
                        reach(e, at + "[]");
                    }
                }
                case MAP -> {
                    MapCell c = new MapCell((Map<?, ?>) o);
                    cells.add(guard(o, c));
                    for (int i = 0; i < c.keys.length; i++) {
                        reach(c.keys[i], at + ".key");
                        reach(c.values[i], at + "[" + c.keys[i] + "]");
                    }
                }
                case FROZEN_MAP -> {
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                        reach(e.getKey(), at + ".key");
                        reach(e.getValue(), at + "[" + e.getKey() + "]");
                    }
                }
                case SPECIAL -> {
                    cells.add(special(o));
                    if (o instanceof AtomicReference<?> r) {
                        reach(r.get(), at + ".get()");
                    }
                }
                case OBJECT -> {
                    boolean walkFields = true;
                    if (o instanceof Participant p) {
                        actions.add(p.capture());
                        participants.add(p);
                        walkFields = p.walkFields();
                    }
                    if (!walkFields) {
                        return;
                    }
                    for (Field f : fields(o.getClass())) {
                        Object v = get(f, o);
                        Guarded g = f.getAnnotation(Guarded.class);
                        if (g != null && v != null && !visited.containsKey(v)) {
                            guards.put(v, new Object[] {o, counter(o.getClass(), g.value())});
                        }
                        if (!Modifier.isFinal(f.getModifiers())) {
                            cells.add(FieldCell.of(f, o, v));
                        }
                        if (!f.getType().isPrimitive()) {
                            reach(v, at + "." + f.getName());
                        }
                    }
                }
                default -> throw new IllegalStateException(k.name());
            }
        }
    }

    /** The guarded cell for a collection its owner guards, else the plain cell. */
    private static Field counter(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                Field f = k.getDeclaredField(name);
                if (f.getType() != long.class) {
                    break;
                }
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new IllegalStateException("@Guarded(\"" + name + "\") in " + c.getName() + ": no long field " + name);
    }

    private static Object get(Field f, Object o) {
        try {
            return f.get(o);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- cells

    private interface Cell {
        void restore();
    }

    /** A collection cell compared only if its owner's change counter moved since the snapshot. */
    private static final class GuardedCell implements Cell {
        final Object owner;
        final Field counter;
        final long saved;
        final Cell inner;
        boolean changed;

        GuardedCell(Object owner, Field counter, Cell inner) {
            this.owner = owner;
            this.counter = counter;
            this.inner = inner;
            try {
                this.saved = counter.getLong(owner);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Before any cell is restored (the counter is a saved field too). */
        void check() {
            try {
                changed = counter.getLong(owner) != saved;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void restore() {
            if (changed) {
                inner.restore();
            }
        }
    }

    private abstract static class FieldCell implements Cell {
        final Field f;
        final Object o;

        FieldCell(Field f, Object o) {
            this.f = f;
            this.o = o;
        }

        static Cell of(Field f, Object o, Object v) {
            Class<?> t = f.getType();
            if (t == long.class) {
                long s = (Long) v;
                return new FieldCell(f, o) {
                    @Override
                    void set() throws IllegalAccessException {
                        f.setLong(o, s);
                    }
                };
            }
            if (t == int.class) {
                int s = (Integer) v;
                return new FieldCell(f, o) {
                    @Override
                    void set() throws IllegalAccessException {
                        f.setInt(o, s);
                    }
                };
            }
            if (t == boolean.class) {
                boolean s = (Boolean) v;
                return new FieldCell(f, o) {
                    @Override
                    void set() throws IllegalAccessException {
                        f.setBoolean(o, s);
                    }
                };
            }
            return new FieldCell(f, o) {
                @Override
                void set() throws IllegalAccessException {
                    f.set(o, v);
                }
            };
        }

        abstract void set() throws IllegalAccessException;

        @Override
        public void restore() {
            try {
                set();
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class ArrayCell implements Cell {
        final Object array;
        final Object saved;
        final int length;

        ArrayCell(Object array) {
            this.array = array;
            this.length = Array.getLength(array);
            this.saved = copy(array, length);
        }

        private static Object copy(Object a, int n) {
            Object c = Array.newInstance(a.getClass().getComponentType(), n);
            System.arraycopy(a, 0, c, 0, n);
            return c;
        }

        @Override
        public void restore() {
            System.arraycopy(saved, 0, array, 0, length);
        }
    }

    /** Same element: the same object, or an equal immutable value (a re-boxed key). */
    private static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null || a.getClass() != b.getClass()) {
            return false;
        }
        return (a instanceof String || a instanceof Number && a.getClass().getName().startsWith("java.lang.")
                || a instanceof Character || a instanceof Boolean || a.getClass().isRecord()) && a.equals(b);
    }

    private static final class CollectionCell implements Cell {
        final Collection<Object> c;
        final Object[] saved;
        final List<Object> list;

        @SuppressWarnings("unchecked")
        CollectionCell(Collection<?> c) {
            this.c = (Collection<Object>) c;
            this.saved = c.toArray();
            this.list = c instanceof java.util.RandomAccess && c instanceof List<?> l ? (List<Object>) l : null;
        }

        private boolean unchanged() {
            int n = saved.length;
            if (c.size() != n) {
                return false;
            }
            if (n == 0) {
                return true;
            }
            if (list != null) {
                for (int i = 0; i < n; i++) {
                    if (!same(list.get(i), saved[i])) {
                        return false;
                    }
                }
                return true;
            }
            Iterator<Object> it = c.iterator();
            for (int i = 0; i < n; i++) {
                if (!same(it.next(), saved[i])) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void restore() {
            if (!unchanged()) {
                c.clear();
                c.addAll(Arrays.asList(saved));
            }
        }
    }

    private static final class MapCell implements Cell {
        final Map<Object, Object> m;
        final Object[] keys;
        final Object[] values;

        @SuppressWarnings("unchecked")
        MapCell(Map<?, ?> m) {
            this.m = (Map<Object, Object>) m;
            int n = m.size();
            keys = new Object[n];
            values = new Object[n];
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                keys[i] = e.getKey();
                values[i++] = e.getValue();
            }
        }

        @Override
        public void restore() {
            int n = keys.length;
            if (m.size() == n) {
                if (n == 0) {
                    return;
                }
                int i = 0;
                for (Map.Entry<Object, Object> e : m.entrySet()) {
                    if (!same(e.getKey(), keys[i]) || !same(e.getValue(), values[i])) {
                        break;
                    }
                    i++;
                }
                if (i == n) {
                    return;
                }
            }
            if (m instanceof java.util.SortedMap<?, ?> && n > 16) {
                restoreSorted();
                return;
            }
            m.clear();
            for (int i = 0; i < n; i++) {
                m.put(keys[i], values[i]);
            }
        }

        /**
         * A sorted map that changed: put back what differs and drop what was added, instead of
         * rebuilding the whole tree (most changes are a few entries).
         */
        @SuppressWarnings("unchecked")
        private void restoreSorted() {
            java.util.Comparator<Object> cmp = (java.util.Comparator<Object>) ((java.util.SortedMap<Object, Object>) m)
                    .comparator();
            java.util.Comparator<Object> order = cmp != null ? cmp
                    : (a, b) -> ((Comparable<Object>) a).compareTo(b);
            List<Object> remove = new ArrayList<>();
            List<Integer> put = new ArrayList<>();
            Iterator<Map.Entry<Object, Object>> it = m.entrySet().iterator();
            Map.Entry<Object, Object> cur = it.hasNext() ? it.next() : null;
            int i = 0;
            while (cur != null || i < keys.length) {
                int c = cur == null ? 1 : i == keys.length ? -1 : order.compare(cur.getKey(), keys[i]);
                if (c < 0) {
                    remove.add(cur.getKey());
                    cur = it.hasNext() ? it.next() : null;
                } else if (c > 0) {
                    put.add(i++);
                } else {
                    if (cur.getValue() != values[i]) {
                        put.add(i);
                    }
                    i++;
                    cur = it.hasNext() ? it.next() : null;
                }
            }
            for (Object k : remove) {
                m.remove(k);
            }
            for (int j : put) {
                m.put(keys[j], values[j]);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Cell special(Object o) {
        if (o instanceof ByteArrayOutputStream b) {
            byte[] saved = b.toByteArray();
            return () -> {
                if (b.size() != saved.length || !Arrays.equals(b.toByteArray(), saved)) {
                    b.reset();
                    b.writeBytes(saved);
                }
            };
        }
        if (o instanceof StringBuilder sb) {
            String saved = sb.toString();
            return () -> {
                if (sb.length() != saved.length() || !sb.toString().equals(saved)) {
                    sb.setLength(0);
                    sb.append(saved);
                }
            };
        }
        if (o instanceof AtomicLong a) {
            long saved = a.get();
            return () -> a.set(saved);
        }
        if (o instanceof AtomicInteger a) {
            int saved = a.get();
            return () -> a.set(saved);
        }
        if (o instanceof AtomicBoolean a) {
            boolean saved = a.get();
            return () -> a.set(saved);
        }
        if (o instanceof AtomicReference<?> r) {
            AtomicReference<Object> a = (AtomicReference<Object>) r;
            Object saved = a.get();
            return () -> a.set(saved);
        }
        BitSet b = (BitSet) o;
        BitSet saved = (BitSet) b.clone();
        return () -> {
            if (!b.equals(saved)) {
                b.clear();
                b.or(saved);
            }
        };
    }

    // ---------------------------------------------------------------- digest

    private static final class Digest extends Walk {
        final StringBuilder out = new StringBuilder();

        Digest(Set<Class<?>> immutable) {
            super(immutable);
        }

        private String ref(Object v, String how) {
            if (v == null) {
                return "null";
            }
            Kind k = kind(v.getClass(), immutable);
            if (k == Kind.LEAF) {
                return leaf(v);
            }
            if (k == Kind.OPAQUE) {
                return "<" + v.getClass().getSimpleName() + ">";
            }
            reach(v, how);
            return "#" + visited.get(v);
        }

        private static String leaf(Object v) {
            if (v instanceof String s) {
                return '"' + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + '"';
            }
            if (v instanceof Class<?> c) {
                return c.getName() + ".class";
            }
            if (v.getClass().isRecord() || v instanceof Number || v instanceof Boolean || v instanceof Character
                    || v instanceof Enum<?>) {
                return v.toString();
            }
            return v.getClass().getSimpleName() + "(" + v + ")";
        }

        private static boolean unordered(Object c) {
            return c instanceof java.util.HashMap<?, ?> && !(c instanceof java.util.LinkedHashMap<?, ?>)
                    || c instanceof java.util.HashSet<?> && !(c instanceof java.util.LinkedHashSet<?>)
                    || c instanceof java.util.IdentityHashMap<?, ?> || c instanceof ConcurrentHashMap<?, ?>
                    || c instanceof java.util.PriorityQueue<?>;
        }

        @Override
        void visit(Object o, Kind k) {
            String at = path.get(o);
            out.append('#').append(visited.get(o)).append(' ').append(o.getClass().isHidden() ? "lambda"
                    : o.getClass().getName());
            switch (k) {
                case ARRAY -> {
                    int n = Array.getLength(o);
                    out.append('[').append(n).append("] ");
                    if (o instanceof Object[] a) {
                        for (int i = 0; i < n; i++) {
                            out.append(ref(a[i], at + "[" + i + "]")).append(' ');
                        }
                    } else if (o instanceof byte[] b) {
                        out.append(Arrays.hashCode(b));
                    } else {
                        for (int i = 0; i < n; i++) {
                            out.append(Array.get(o, i)).append(' ');
                        }
                    }
                }
                case COLLECTION, FROZEN_COLLECTION -> {
                    List<Object> elems = new ArrayList<>((Collection<?>) o);
                    if (unordered(o)) {
                        elems.sort(java.util.Comparator.comparing(StateSnapshot::sortKey));
                    }
                    out.append(" [");
                    for (Object e : elems) {
                        out.append(ref(e, at + "[]")).append(", ");
                    }
                    out.append(']');
                }
                case MAP, FROZEN_MAP -> {
                    List<Map.Entry<?, ?>> es = new ArrayList<>(((Map<?, ?>) o).entrySet());
                    if (unordered(o)) {
                        es.sort(java.util.Comparator.comparing(e -> sortKey(e.getKey())));
                    }
                    out.append(" {");
                    for (Map.Entry<?, ?> e : es) {
                        out.append(ref(e.getKey(), at + ".key")).append('=')
                                .append(ref(e.getValue(), at + "[" + e.getKey() + "]")).append(", ");
                    }
                    out.append('}');
                }
                case SPECIAL -> {
                    if (o instanceof ByteArrayOutputStream b) {
                        out.append(' ').append(Arrays.hashCode(b.toByteArray()));
                    } else if (o instanceof AtomicReference<?> r) {
                        out.append(' ').append(ref(r.get(), at + ".get()"));
                    } else {
                        out.append(' ').append(o);
                    }
                }
                case OBJECT -> {
                    if (o instanceof Participant p && !p.walkFields()) {
                        out.append(" (participant)");
                        break;
                    }
                    out.append(" {");
                    for (Field f : fields(o.getClass())) {
                        Object v = get(f, o);
                        out.append(f.getName()).append('=')
                                .append(f.getType().isPrimitive() ? String.valueOf(v) : ref(v, at + "." + f.getName()))
                                .append(", ");
                    }
                    out.append('}');
                }
                default -> throw new IllegalStateException(k.name());
            }
            out.append('\n');
        }
    }

    /** A stable order for elements of hash-ordered collections: values by text, objects by class. */
    private static String sortKey(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Class<?> c) {
            return c.getName();
        }
        if (o instanceof String || o instanceof Number || o instanceof Character || o instanceof Boolean
                || o instanceof Enum<?> || o.getClass().isRecord()) {
            return o.getClass().getName() + ":" + o;
        }
        return o.getClass().getName();
    }

    /** Shared by tests: the cells and objects per class name (for finding what restores cost). */
    public Map<String, Integer> cellCounts() {
        Map<String, Integer> out = new HashMap<>();
        for (Cell c : cells) {
            String n = c instanceof FieldCell f ? f.o.getClass().getName() + "." + f.f.getName()
                    : c instanceof CollectionCell cc ? cc.c.getClass().getName() + "[" + cc.saved.length + "]"
                    : c instanceof MapCell mc ? mc.m.getClass().getName() + "[" + mc.keys.length + "]"
                    : c.getClass().getSimpleName();
            out.merge(n, 1, Integer::sum);
        }
        return out;
    }
}

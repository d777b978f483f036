package dev.kmodemu.junit;

import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One module parameter set of a {@link ParameterSets} test: {@code name=value} words as insmod
 * takes them ({@link #args()}), and their values by name.
 */
public final class ModuleParams {
    private final String text;
    private final List<String> args;
    private final Map<String, String> values = new LinkedHashMap<>();

    private ModuleParams(String text) {
        this.text = text.trim();
        this.args = this.text.isEmpty() ? List.of() : List.of(this.text.split("\\s+"));
        for (String a : args) {
            int eq = a.indexOf('=');
            values.put(eq < 0 ? a : a.substring(0, eq), eq < 0 ? "" : a.substring(eq + 1));
        }
    }

    /** Parses {@code "count=2 name=bob"}. */
    public static ModuleParams of(String text) {
        return new ModuleParams(text);
    }

    /** The words, for {@code Kernel.insmod(path, p.args())}. */
    public String[] args() {
        return args.toArray(new String[0]);
    }

    /** The value given to {@code name}, or null if the set does not name it. */
    public String get(String name) {
        return values.get(name);
    }

    /** The value given to {@code name} as an int (decimal or 0x hex), or {@code otherwise} if not given. */
    public int getInt(String name, int otherwise) {
        String v = values.get(name);
        return v == null ? otherwise : Integer.decode(v);
    }

    /** The value given to {@code name} as an int; fails if the set does not name it. */
    public int getInt(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("kmodemu: the parameter set \"" + text + "\" has no " + name);
        }
        return Integer.decode(v);
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "(no parameters)" : text;
    }

    /** Makes one invocation per {@link ParameterSets} entry. */
    static final class Provider implements TestTemplateInvocationContextProvider {
        @Override
        public boolean supportsTestTemplate(ExtensionContext c) {
            return c.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, ParameterSets.class)).orElse(false);
        }

        @Override
        public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext c) {
            String[] sets = AnnotationSupport.findAnnotation(c.getRequiredTestMethod(), ParameterSets.class)
                    .orElseThrow().value();
            List<TestTemplateInvocationContext> out = new ArrayList<>();
            for (String s : sets) {
                ModuleParams p = new ModuleParams(s);
                out.add(new TestTemplateInvocationContext() {
                    @Override
                    public String getDisplayName(int index) {
                        return "[" + index + "] " + p;
                    }

                    @Override
                    public List<Extension> getAdditionalExtensions() {
                        return List.of(new ParameterResolver() {
                            @Override
                            public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
                                return pc.getParameter().getType() == ModuleParams.class;
                            }

                            @Override
                            public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
                                return p;
                            }
                        });
                    }
                });
            }
            return out.stream();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModuleParams m && m.args.equals(args);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(args());
    }
}

package dev.thinj.model.registry;

import dev.thinj.model.config.JsonValues;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A function a config can call: its registry and name (such as {@code layers} / {@code Relu.v1}),
 * its declared parameters, and the code to run. Built from a {@link Registered} method, or directly
 * with {@link #of}.
 */
public final class RegisteredFunction {
    /** The code behind a registered function. */
    @FunctionalInterface
    public interface Body {
        /**
         * @param args one value per declared parameter, in order, converted to the declared types
         *     (positional arguments as a {@code List})
         * @return the function's result
         * @throws Exception any failure; the config names the block that called it
         */
        Object call(List<Object> args) throws Exception;
    }

    private static final Map<Class<?>, RegisteredFunction> RECORDS = new ConcurrentHashMap<>();

    private final String registry;
    private final String name;
    private final List<Param> params;
    private final Body body;
    private final String origin;

    private RegisteredFunction(String registry, String name, List<Param> params, Body body, String origin) {
        this.registry = registry;
        this.name = name;
        this.params = Collections.unmodifiableList(new ArrayList<>(params));
        this.body = body;
        this.origin = origin;
        for (int i = 0; i < this.params.size(); i++) {
            Param p = this.params.get(i);
            for (int j = 0; j < i; j++) {
                if (this.params.get(j).name().equals(p.name())) {
                    throw new IllegalArgumentException(describe() + ": two parameters named \"" + p.name() + "\"");
                }
            }
            if (!p.required() && !p.positional()) {
                try {
                    ArgConverter.convert(p.defaultValue(), p.type(), p.nullable(), null);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(describe() + ": the default of \"" + p.name()
                            + "\" does not fit its type: " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * Declares a function from code, for names only known at run time.
     *
     * @param registry the registry, such as {@code "ops"}
     * @param name the name with its version
     * @param params its parameters, in order
     * @param body the code
     * @return the function, to pass to {@link Registry#register}
     */
    public static RegisteredFunction of(String registry, String name, List<Param> params, Body body) {
        return new RegisteredFunction(Objects.requireNonNull(registry), Objects.requireNonNull(name), params,
                Objects.requireNonNull(body), "code");
    }

    /**
     * @param method a static method with {@link Registered} and an {@link Arg} on every parameter
     * @return the function it declares
     * @throws IllegalArgumentException if the declaration is incomplete
     */
    static RegisteredFunction fromMethod(Method method) {
        Registered r = method.getAnnotation(Registered.class);
        String where = method.getDeclaringClass().getName() + "#" + method.getName();
        if (!Modifier.isStatic(method.getModifiers())) {
            throw new IllegalArgumentException(where + ": a @Registered method must be static");
        }
        method.setAccessible(true);
        List<Param> params = params(method, where, null);
        Body body = args -> invoke(method, null, args);
        return new RegisteredFunction(r.registry(), r.name(), params, body, where);
    }

    /**
     * The signature of a record used as a config section: its components, named by their {@link Arg}
     * or else by the component name.
     *
     * @param type a record class
     * @return its constructor as a function
     */
    static RegisteredFunction forRecord(Class<?> type) {
        return RECORDS.computeIfAbsent(type, t -> {
            RecordComponent[] components = t.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
            }
            Constructor<?> ctor;
            try {
                ctor = t.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(t.getName() + ": no canonical constructor", e);
            }
            ctor.setAccessible(true);
            List<String> names = new ArrayList<>();
            for (RecordComponent c : components) {
                names.add(c.getName());
            }
            List<Param> params = params(ctor, t.getName(), names);
            Body body = args -> invoke(ctor, null, args);
            return new RegisteredFunction(null, t.getSimpleName(), params, body, t.getName());
        });
    }

    private static List<Param> params(Executable exec, String where, List<String> fallbackNames) {
        java.lang.reflect.Parameter[] ps = exec.getParameters();
        Type[] types = exec.getGenericParameterTypes();
        List<Param> out = new ArrayList<>();
        for (int i = 0; i < ps.length; i++) {
            Arg arg = ps[i].getAnnotation(Arg.class);
            if (arg == null && fallbackNames == null) {
                throw new IllegalArgumentException(where + ": parameter " + (i + 1) + " (" + ps[i].getName()
                        + ") needs an @Arg with its config name");
            }
            String name = arg != null ? arg.value() : fallbackNames.get(i);
            boolean required = arg == null || arg.defaultJson().equals(Arg.REQUIRED);
            Object dflt = null;
            if (!required) {
                try {
                    dflt = JsonValues.parse(arg.defaultJson());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": the default of \"" + name
                            + "\" is not JSON: " + arg.defaultJson(), e);
                }
            }
            boolean nullable = !ps[i].getType().isPrimitive() && (arg != null && arg.nullable() || !required && dflt == null);
            Type type = types[i];
            if (name.equals(Param.POSITIONAL)) {
                type = positionalType(type, where);
                required = false;
            }
            out.add(new Param(name, type, required, dflt, nullable));
        }
        return out;
    }

    /** Positional arguments arrive as a list; a {@code T...} parameter is declared as {@code List<T>}. */
    private static Type positionalType(Type declared, String where) {
        if (declared instanceof Class<?> c && c.isArray()) {
            return listOf(c.getComponentType());
        }
        if (declared instanceof GenericArrayType g) {
            return listOf(g.getGenericComponentType());
        }
        if (declared instanceof ParameterizedType p && p.getRawType() == List.class) {
            return declared;
        }
        if (declared == List.class) {
            return listOf(Object.class);
        }
        throw new IllegalArgumentException(where + ": the positional parameter \"*\" must be a List<T> or T...");
    }

    private static Type listOf(Type element) {
        return new ParameterizedType() {
            @Override
            public Type[] getActualTypeArguments() {
                return new Type[] {element};
            }

            @Override
            public Type getRawType() {
                return List.class;
            }

            @Override
            public Type getOwnerType() {
                return null;
            }

            @Override
            public String toString() {
                return "List<" + element.getTypeName() + ">";
            }
        };
    }

    private static Object invoke(Executable exec, Object target, List<Object> args) throws Exception {
        Object[] a = args.toArray();
        Class<?>[] types = exec.getParameterTypes();
        for (int k = 0; k < a.length; k++) {
            // A T[] (or T...) parameter receives its positional arguments as an array.
            if (types[k].isArray() && a[k] instanceof List<?> list) {
                Object array = Array.newInstance(types[k].getComponentType(), list.size());
                for (int i = 0; i < list.size(); i++) {
                    Array.set(array, i, list.get(i));
                }
                a[k] = array;
            }
        }
        try {
            if (exec instanceof Method m) {
                return m.invoke(target, a);
            }
            return ((Constructor<?>) exec).newInstance(a);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** @return the registry, such as {@code "layers"} (null for a record's signature) */
    public String registry() {
        return registry;
    }

    /** @return the name with its version, such as {@code "Relu.v1"} */
    public String name() {
        return name;
    }

    /** @return the declared parameters, in order */
    public List<Param> params() {
        return params;
    }

    /**
     * @param key a config key
     * @return the parameter of that name, or null
     */
    public Param param(String key) {
        for (Param p : params) {
            if (p.name().equals(key)) {
                return p;
            }
        }
        return null;
    }

    /** @return the positional parameter, or null if the function takes none */
    public Param positional() {
        return param(Param.POSITIONAL);
    }

    /** @return where it is defined: {@code class#method}, a record class, or {@code code} */
    public String origin() {
        return origin;
    }

    /**
     * Runs the function.
     *
     * @param args one converted value per parameter
     * @return its result
     * @throws Exception whatever the function throws
     */
    public Object call(List<Object> args) throws Exception {
        return body.call(args);
    }

    String describe() {
        return registry == null ? name : registry + " / " + name;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            sb.append(i > 0 ? ", " : "").append(p.name());
            if (!p.required() && !p.positional()) {
                sb.append('=').append(JsonValues.write(p.defaultValue()));
            }
        }
        return sb.append(')').toString();
    }
}

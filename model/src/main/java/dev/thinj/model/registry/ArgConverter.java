package dev.thinj.model.registry;

import dev.thinj.model.config.ConfigException;
import dev.thinj.model.config.JsonValues;
import dev.thinj.model.config.Location;
import dev.thinj.model.schedules.Schedule;
import dev.thinj.ops.Ops;
import java.lang.reflect.Array;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Converts a config value to a registered function's parameter type, or says why it cannot, with the
 * coercions Thinc's pydantic validation makes for the same annotations: an integer where a number is
 * wanted, a numeric string where a number is wanted, {@code 0}/{@code 1}/{@code "yes"} where a
 * boolean is wanted, an integer where a string is wanted. One deliberate difference: a number with a
 * fraction is not truncated to an integer (pydantic 1 silently turns 1.5 into 1). A backend may also
 * be named by a string ({@code ops = "cpu"}), which is {@code Ops.get(name)}.
 */
final class ArgConverter {
    private static final Set<String> TRUE = Set.of("1", "on", "t", "true", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "off", "f", "false", "n", "no");

    private ArgConverter() {
    }

    /**
     * @param value a config value, or an object a nested block returned
     * @param type the target type
     * @param nullable whether null is accepted (never for primitives)
     * @param where the value's location, or null
     * @return the converted value
     * @throws ConfigException saying what was expected and what was found
     */
    static Object convert(Object value, Type type, boolean nullable, Location where) {
        Class<?> raw = rawClass(type);
        if (value == null) {
            if (raw.isPrimitive() || !nullable) {
                throw wrong(where, type, null);
            }
            return null;
        }
        if (raw == Object.class) {
            return value;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return bool(value, type, where);
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class
                || raw == short.class || raw == Short.class) {
            return integer(value, raw, type, where);
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            double d = number(value, type, where);
            return raw == float.class || raw == Float.class ? (Object) (float) d : (Object) d;
        }
        if (raw == String.class) {
            if (value instanceof String s) {
                return s;
            }
            if (value instanceof Long || value instanceof BigInteger) {
                return value.toString();
            }
            throw wrong(where, type, value);
        }
        if (raw == Schedule.class) {
            return schedule(value, type, where);
        }
        if (raw == Ops.class && value instanceof String name) {
            // "ops": "cpu" names a backend, as an @ops block would.
            try {
                return Ops.get(name);
            } catch (RuntimeException e) {
                throw new ConfigException(loc(where), "backend \"" + name + "\" cannot be used: " + e.getMessage(), e);
            }
        }
        if (raw.isRecord() && value instanceof Map<?, ?> m) {
            return record(m, raw, where);
        }
        if (raw.isArray() && value instanceof List<?> l) {
            Type element = raw.getComponentType();
            Object array = Array.newInstance(raw.getComponentType(), l.size());
            for (int i = 0; i < l.size(); i++) {
                Array.set(array, i, convert(l.get(i), element, isObject(element), item(where, i)));
            }
            return array;
        }
        if ((raw == List.class || raw == Iterable.class || raw == java.util.Collection.class) && value instanceof List<?> l) {
            Type element = typeArg(type, 0);
            List<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                out.add(convert(l.get(i), element, isObject(element), item(where, i)));
            }
            return out;
        }
        if (raw == Map.class && value instanceof Map<?, ?> m) {
            Type element = typeArg(type, 1);
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                out.put(k, convert(e.getValue(), element, isObject(element), where == null ? null : where.withKey(
                        where.key() == null ? k : where.key() + "." + k)));
            }
            return out;
        }
        if (boxed(raw).isInstance(value)) {
            return value;
        }
        throw wrong(where, type, value);
    }

    private static Object bool(Object value, Type type, Location where) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Long n && (n == 0 || n == 1)) {
            return n == 1;
        }
        if (value instanceof String s) {
            String l = s.strip().toLowerCase(Locale.ROOT);
            if (TRUE.contains(l)) {
                return true;
            }
            if (FALSE.contains(l)) {
                return false;
            }
        }
        throw wrong(where, type, value);
    }

    private static Object integer(Object value, Class<?> raw, Type type, Location where) {
        long n;
        if (value instanceof Long l) {
            n = l;
        } else if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p62) {
            n = d.longValue();
        } else if (value instanceof String s && s.strip().matches("[+-]?\\d+")) {
            try {
                n = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw wrong(where, type, value);
            }
        } else {
            throw wrong(where, type, value);
        }
        if (raw == long.class || raw == Long.class) {
            return n;
        }
        long min = raw == short.class || raw == Short.class ? Short.MIN_VALUE : Integer.MIN_VALUE;
        long max = raw == short.class || raw == Short.class ? Short.MAX_VALUE : Integer.MAX_VALUE;
        if (n < min || n > max) {
            throw new ConfigException(loc(where), "expected an integer between " + min + " and " + max
                    + ", got " + JsonValues.describe(value));
        }
        return raw == short.class || raw == Short.class ? (Object) (short) n : (Object) (int) n;
    }

    private static double number(Object value, Type type, Location where) {
        if (value instanceof Number n && !(value instanceof BigInteger)) {
            return n.doubleValue();
        }
        if (value instanceof BigInteger b) {
            return b.doubleValue();
        }
        if (value instanceof String s) {
            try {
                // pydantic reads numeric strings as Python's float() does.
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw wrong(where, type, value);
            }
        }
        throw wrong(where, type, value);
    }

    @SuppressWarnings("unchecked")
    private static Schedule schedule(Object value, Type type, Location where) {
        if (value instanceof Schedule s) {
            return s;
        }
        if (value instanceof Number || value instanceof String) {
            return Schedule.constant(number(value, type, where));
        }
        if (value instanceof List<?> l && !l.isEmpty()) {
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                values.add((Double) convert(l.get(i), double.class, false, item(where, i)));
            }
            return Schedule.of(values);
        }
        if (value instanceof Iterator<?> it) {
            return Schedule.of((Iterator<? extends Number>) it);
        }
        throw wrong(where, type, value);
    }

    private static Object record(Map<?, ?> value, Class<?> type, Location where) {
        RegisteredFunction sig = RegisteredFunction.forRecord(type);
        for (Object k : value.keySet()) {
            if (sig.param(String.valueOf(k)) == null) {
                throw new ConfigException(loc(where), "unexpected key \"" + k + "\" for " + type.getSimpleName()
                        + "; it takes " + names(sig));
            }
        }
        List<Object> args = new ArrayList<>();
        for (Param p : sig.params()) {
            Location at = where == null ? null : where.withKey(where.key() == null ? p.name() : where.key() + "." + p.name());
            if (value.containsKey(p.name())) {
                args.add(convert(value.get(p.name()), p.type(), p.nullable(), at));
            } else if (p.required()) {
                throw new ConfigException(loc(where), "missing key \"" + p.name() + "\" for " + type.getSimpleName());
            } else {
                args.add(convert(JsonValues.deepCopy(p.defaultValue()), p.type(), p.nullable(), at));
            }
        }
        try {
            return sig.call(args);
        } catch (RuntimeException e) {
            throw new ConfigException(loc(where), type.getSimpleName() + " refused these values: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new ConfigException(loc(where), type.getSimpleName() + " failed: " + e, e);
        }
    }

    static String names(RegisteredFunction fn) {
        List<String> names = new ArrayList<>();
        for (Param p : fn.params()) {
            names.add(p.name());
        }
        return names.isEmpty() ? "no arguments" : String.join(", ", names);
    }

    // ---- types and messages --------------------------------------------------------------------------

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return rawClass(p.getRawType());
        }
        if (type instanceof WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        if (type instanceof java.lang.reflect.GenericArrayType g) {
            return Array.newInstance(rawClass(g.getGenericComponentType()), 0).getClass();
        }
        return Object.class;
    }

    private static Type typeArg(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }

    private static boolean isObject(Type t) {
        return rawClass(t) == Object.class;
    }

    private static Class<?> boxed(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return Array.get(Array.newInstance(c, 1), 0).getClass();
    }

    private static Location item(Location where, int i) {
        if (where == null) {
            return null;
        }
        return where.withKey((where.key() == null ? "" : where.key()) + "[" + i + "]");
    }

    private static Location loc(Location where) {
        return where == null ? Location.UNKNOWN : where;
    }

    private static ConfigException wrong(Location where, Type type, Object value) {
        return new ConfigException(loc(where), "expected " + expected(type) + ", got " + JsonValues.describe(value));
    }

    /**
     * @param type a parameter type
     * @return what a config must hold for it, such as "an integer" or "a Model"
     */
    static String expected(Type type) {
        Class<?> raw = rawClass(type);
        if (raw == boolean.class || raw == Boolean.class) {
            return "true or false";
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class
                || raw == short.class || raw == Short.class) {
            return "an integer";
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            return "a number";
        }
        if (raw == String.class) {
            return "a string";
        }
        if (raw == Schedule.class) {
            return "a number, a list of numbers or a schedule";
        }
        if (raw == List.class || raw == Iterable.class || raw == java.util.Collection.class || raw.isArray()) {
            Type element = raw.isArray() ? raw.getComponentType() : typeArg(type, 0);
            return isObject(element) ? "a list" : "a list of " + plural(expected(element));
        }
        if (raw == Map.class || raw.isRecord()) {
            return "a section" + (raw.isRecord() ? " (" + raw.getSimpleName() + ")" : "");
        }
        String name = raw.getSimpleName();
        return (!name.isEmpty() && "AEIOUaeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    private static String plural(String expected) {
        if (expected.equals("true or false")) {
            return "booleans";
        }
        String s = expected.replaceFirst("^an? ", "");
        if (s.startsWith("number, a list of numbers or a schedule")) {
            return "numbers or schedules";
        }
        return s.endsWith("s") ? s : s + "s";
    }
}

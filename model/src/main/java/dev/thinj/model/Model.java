package dev.thinj.model;

import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.ThinjException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model is a function with state: a {@link Forward} function plus named dims, parameters, gradients,
 * attributes and child layers, as Thinc's {@code Model}. Layers do not subclass it; they are factories
 * that build one with their own forward and init functions.
 *
 * <p>The training contract, exactly Thinc's: {@link #beginUpdate} returns the output and a backprop
 * closure; calling the closure adds into the gradients ({@link #gradFor}); {@link #finishUpdate} hands
 * every parameter that has a gradient to the optimizer, which updates it and zeroes the gradient in
 * place (the zeroed gradient stays present). Gradients can be read, changed or replaced by name before
 * the update.
 *
 * <p>A model keeps the {@link Ops} current when it was built; its parameters live there. Move it with
 * {@link #toOps(Ops)}.
 *
 * @param <I> the input type, such as {@code FloatArray}
 * @param <O> the output type
 */
public final class Model<I, O> {
    private static final AtomicLong NEXT_ID = new AtomicLong();

    private final long id = NEXT_ID.incrementAndGet();
    private final String name;
    private final Forward<I, O> forward;
    private final Initializer<I, O> init;
    private final Map<String, Integer> dims;
    private final Map<String, FloatArray> params;
    private final Map<String, FloatArray> grads = new LinkedHashMap<>();
    private final Map<String, Object> attrs;
    private final List<Model<?, ?>> layers;
    private Ops ops;

    private Model(Builder<I, O> b) {
        this.name = b.name;
        this.forward = b.forward;
        this.init = b.init;
        this.dims = new LinkedHashMap<>(b.dims);
        this.params = new LinkedHashMap<>(b.params);
        this.attrs = new LinkedHashMap<>(b.attrs);
        this.layers = new ArrayList<>(b.layers);
        this.ops = b.ops != null ? b.ops : Ops.current();
    }

    /**
     * Starts defining a model, as Thinc's {@code Model(name, forward, ...)}.
     *
     * @param name the model's name, used in errors
     * @param forward its forward function
     * @param <I> the input type
     * @param <O> the output type
     * @return a builder
     */
    public static <I, O> Builder<I, O> define(String name, Forward<I, O> forward) {
        return new Builder<>(name, forward);
    }

    // ---- running -------------------------------------------------------------------------------

    /**
     * Thinc's {@code model(X, is_train)}.
     *
     * @param x the input (not modified)
     * @param isTrain whether training behaviour (dropout) is on
     * @return the output and the backprop closure
     */
    public Result<I, O> apply(I x, boolean isTrain) {
        return forward.apply(this, x, isTrain);
    }

    /**
     * @param x the input (not modified)
     * @return the output and the backprop closure, in training mode
     */
    public Result<I, O> beginUpdate(I x) {
        return apply(x, true);
    }

    /**
     * @param x the input (not modified)
     * @return the output, without training behaviour
     */
    public O predict(I x) {
        return apply(x, false).output();
    }

    /**
     * Infers missing dims from sample data and allocates parameters, as Thinc's {@code initialize}.
     *
     * @param x a sample input, or null
     * @param y a sample output, or null
     * @return this model
     */
    public Model<I, O> initialize(I x, O y) {
        if (init != null) {
            init.initialize(this, x, y);
        }
        return this;
    }

    /** @return this model, initialised with no sample data (every dim must be known) */
    public Model<I, O> initialize() {
        return initialize(null, null);
    }

    /**
     * Hands every parameter that has a gradient, in every node, to the optimizer, which updates it and
     * zeroes the gradient in place.
     *
     * @param optimizer the optimizer
     */
    public void finishUpdate(Optimizer optimizer) {
        for (Model<?, ?> node : walk()) {
            for (Map.Entry<String, FloatArray> p : node.params.entrySet()) {
                FloatArray grad = node.grads.get(p.getKey());
                if (grad != null && p.getValue() != null) {
                    optimizer.update(new ParamKey(node.id, p.getKey()), p.getValue(), grad);
                }
            }
        }
    }

    // ---- the tree ------------------------------------------------------------------------------

    /** @return this node and every node below it, breadth-first, each shared node once */
    public List<Model<?, ?>> walk() {
        List<Model<?, ?>> out = new ArrayList<>();
        Set<Model<?, ?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Model<?, ?>> queue = new ArrayDeque<>();
        queue.add(this);
        while (!queue.isEmpty()) {
            Model<?, ?> node = queue.poll();
            if (seen.add(node)) {
                out.add(node);
                queue.addAll(node.layers);
            }
        }
        return out;
    }

    /** @return the child layers (unmodifiable) */
    public List<Model<?, ?>> layers() {
        return Collections.unmodifiableList(layers);
    }

    /**
     * @param index the child's position
     * @param <A> its input type, unchecked
     * @param <B> its output type, unchecked
     * @return the child layer
     */
    @SuppressWarnings("unchecked")
    public <A, B> Model<A, B> layer(int index) {
        return (Model<A, B>) layers.get(index);
    }

    /** @return the process-unique id of this node, the first half of its {@link ParamKey}s */
    public long id() {
        return id;
    }

    /** @return the model's name */
    public String name() {
        return name;
    }

    /** @return the backend holding this model's parameters */
    public Ops ops() {
        return ops;
    }

    // ---- dims ----------------------------------------------------------------------------------

    /** @return the declared dim names, set or not */
    public Set<String> dimNames() {
        return Collections.unmodifiableSet(dims.keySet());
    }

    /**
     * @param dim a dim name
     * @return whether the dim is declared and set
     */
    public boolean hasDim(String dim) {
        return dims.get(dim) != null;
    }

    /**
     * @param dim a dim name
     * @return its value
     * @throws ThinjException if it is unknown or unset
     */
    public int getDim(String dim) {
        if (!dims.containsKey(dim)) {
            throw new ThinjException("Cannot get unknown dimension '" + dim + "' for model '" + name + "'; it has "
                    + dims.keySet());
        }
        Integer v = dims.get(dim);
        if (v == null) {
            throw new ThinjException("Cannot get dimension '" + dim + "' for model '" + name
                    + "': value unset. Pass it when building the layer or call initialize(X, Y) with sample data.");
        }
        return v;
    }

    /**
     * Sets a declared dim. Changing a dim that is already set is an error, as in Thinc.
     *
     * @param dim a declared dim name
     * @param value its value, {@code >= 0}
     */
    public void setDim(String dim, int value) {
        if (!dims.containsKey(dim)) {
            throw new ThinjException("Cannot set unknown dimension '" + dim + "' for model '" + name + "'; it has "
                    + dims.keySet());
        }
        Integer old = dims.get(dim);
        if (old != null && old != value) {
            throw new ShapeException("Attempt to change dimension '" + dim + "' for model '" + name + "' from " + old
                    + " to " + value);
        }
        if (value < 0) {
            throw new ShapeException("Dimension '" + dim + "' for model '" + name + "' must be >= 0, got " + value);
        }
        dims.put(dim, value);
    }

    // ---- params and grads ----------------------------------------------------------------------

    /** @return the declared parameter names, set or not */
    public Set<String> paramNames() {
        return Collections.unmodifiableSet(params.keySet());
    }

    /**
     * @param param a parameter name
     * @return whether it is declared and set
     */
    public boolean hasParam(String param) {
        return params.get(param) != null;
    }

    /**
     * @param param a parameter name
     * @return the parameter array itself (changes to it change the model)
     */
    public FloatArray getParam(String param) {
        if (!params.containsKey(param)) {
            throw new ThinjException("Unknown parameter '" + param + "' for model '" + name + "'; it has " + params.keySet());
        }
        FloatArray p = params.get(param);
        if (p == null) {
            throw new ThinjException("Parameter '" + param + "' for model '" + name
                    + "' has not been allocated yet; call initialize() first");
        }
        return p;
    }

    /**
     * Replaces a parameter. The array must belong to this model's backend.
     *
     * @param param a declared parameter name
     * @param value the new array (kept, not copied)
     */
    public void setParam(String param, FloatArray value) {
        if (!params.containsKey(param)) {
            throw new ThinjException("Unknown parameter '" + param + "' for model '" + name + "'; it has " + params.keySet());
        }
        checkOwned("setParam", param, value);
        params.put(param, ArrayScope.detach(value));  // a parameter outlives the step that made it
    }

    /**
     * @param param a parameter name
     * @return whether a gradient is present (it stays present, zeroed, after an update)
     */
    public boolean hasGrad(String param) {
        return grads.get(param) != null;
    }

    /**
     * @param param a parameter name
     * @return the gradient array itself
     */
    public FloatArray getGrad(String param) {
        FloatArray g = grads.get(param);
        if (g == null) {
            throw new ThinjException("No gradient for parameter '" + param + "' of model '" + name
                    + "': backprop has not run since it was created");
        }
        return g;
    }

    /**
     * Replaces a gradient.
     *
     * @param param a declared parameter name
     * @param value the new gradient (kept, not copied), the parameter's shape
     */
    public void setGrad(String param, FloatArray value) {
        FloatArray p = getParam(param);
        checkOwned("setGrad", param, value);
        if (!Shapes.same(p.shape(), value.shape())) {
            throw new ShapeException("setGrad: gradient for '" + param + "' of model '" + name + "' must have shape "
                    + Shapes.format(p.shape()) + ", got " + Shapes.format(value.shape()));
        }
        grads.put(param, ArrayScope.detach(value));
    }

    /**
     * The gradient to accumulate into: the present one, or a new zero array registered as the
     * gradient. Layers pass it to kernels that add in place ({@code gemm} with beta 1,
     * {@code sumRows} with accumulate).
     *
     * @param param a declared, allocated parameter
     * @return the gradient array
     */
    public FloatArray gradFor(String param) {
        FloatArray g = grads.get(param);
        if (g == null) {
            // Made by the first backprop, possibly inside a training loop's per-step scope: kept.
            g = ArrayScope.detach(ops.like(getParam(param)));
            grads.put(param, g);
        }
        return g;
    }

    /**
     * Thinc's {@code inc_grad}: adds {@code value} into the gradient.
     *
     * @param param a declared, allocated parameter
     * @param value same shape as the parameter (not modified)
     */
    public void incGrad(String param, FloatArray value) {
        ops.addInPlace(gradFor(param), value);
    }

    // ---- attrs ---------------------------------------------------------------------------------

    /** @return the attribute names */
    public Set<String> attrNames() {
        return Collections.unmodifiableSet(attrs.keySet());
    }

    /**
     * @param attr an attribute name
     * @param <T> its type, unchecked
     * @return its value
     */
    @SuppressWarnings("unchecked")
    public <T> T attr(String attr) {
        if (!attrs.containsKey(attr)) {
            throw new ThinjException("Unknown attribute '" + attr + "' for model '" + name + "'; it has " + attrs.keySet());
        }
        return (T) attrs.get(attr);
    }

    /**
     * @param attr an attribute name
     * @param value its new value
     */
    public void setAttr(String attr, Object value) {
        attrs.put(attr, value);
    }

    // ---- moving and swapping parameters --------------------------------------------------------

    /**
     * Moves every node's parameters and gradients to another backend: copies them across and closes the
     * old arrays. Afterwards the model computes on {@code target}.
     *
     * @param target the backend to move to
     * @return this model
     */
    public Model<I, O> toOps(Ops target) {
        for (Model<?, ?> node : walk()) {
            if (node.ops == target) {
                continue;
            }
            moveArrays(node.params, target);
            moveArrays(node.grads, target);
            node.ops = target;
        }
        return this;
    }

    private static void moveArrays(Map<String, FloatArray> arrays, Ops target) {
        for (Map.Entry<String, FloatArray> e : arrays.entrySet()) {
            FloatArray old = e.getValue();
            if (old != null) {
                e.setValue(ArrayScope.detach(target.asArray(old)));
                old.close();
            }
        }
    }

    /**
     * Swaps in other values for some parameters until the returned scope closes, as Thinc's
     * {@code use_params}; typically the optimizer's averages for evaluation.
     *
     * @param replacements values keyed by {@link ParamKey}; keys of other models are ignored
     * @return the scope; closing it restores the original parameters
     */
    public ParamsScope useParams(Map<ParamKey, FloatArray> replacements) {
        List<Runnable> restore = new ArrayList<>();
        for (Model<?, ?> node : walk()) {
            for (String p : node.params.keySet()) {
                FloatArray replacement = replacements.get(new ParamKey(node.id, p));
                if (replacement != null) {
                    FloatArray original = node.params.get(p);
                    node.setParam(p, replacement);
                    restore.add(() -> node.params.put(p, original));
                }
            }
        }
        return new ParamsScope(restore);
    }

    /**
     * A deep copy, as Thinc's {@code Model.copy}: new node ids, copied parameters and gradients, and
     * nodes shared inside this tree stay shared inside the copy.
     *
     * @param reseed give every copied node that has a {@code seed} attr a fresh one from
     *     {@link RandomSeeds}, so copies initialised later differ (what {@code clone} wants)
     * @return the copy
     */
    @SuppressWarnings("unchecked")
    public Model<I, O> copy(boolean reseed) {
        return (Model<I, O>) copyNode(new IdentityHashMap<>(), reseed);
    }

    /** @return a deep copy with the same seeds */
    public Model<I, O> copy() {
        return copy(false);
    }

    private Model<?, ?> copyNode(Map<Model<?, ?>, Model<?, ?>> done, boolean reseed) {
        Model<?, ?> existing = done.get(this);
        if (existing != null) {
            return existing;
        }
        Builder<I, O> b = define(name, forward).init(init).ops(ops);
        b.dims.putAll(dims);  // as they are: a copy checks nothing a set dim already passed
        params.keySet().forEach(b::param);
        attrs.forEach((k, v) -> b.attr(k, reseed && k.equals("seed") ? (Object) RandomSeeds.next() : v));
        Model<I, O> copy = b.build();
        done.put(this, copy);
        params.forEach((k, v) -> copy.params.put(k, v == null ? null : ops.copy(v)));
        grads.forEach((k, v) -> copy.grads.put(k, ops.copy(v)));
        for (Model<?, ?> child : layers) {
            copy.layers.add(child.copyNode(done, reseed));
        }
        return copy;
    }

    private void checkOwned(String method, String param, FloatArray value) {
        if (value == null) {
            throw new IllegalArgumentException(method + ": value for '" + param + "' of model '" + name + "' is null");
        }
        if (value.ops() != ops) {
            throw new ThinjException(method + ": array for '" + param + "' of model '" + name + "' belongs to backend '"
                    + value.ops().name() + "', the model runs on '" + ops.name() + "'; copy it with ops.asArray first");
        }
    }

    @Override
    public String toString() {
        return "Model[" + name + ", id=" + id + ", dims=" + dims + "]";
    }

    /**
     * Builds a {@link Model}.
     *
     * @param <I> the input type
     * @param <O> the output type
     */
    public static final class Builder<I, O> {
        private final String name;
        private final Forward<I, O> forward;
        private Initializer<I, O> init;
        private final Map<String, Integer> dims = new LinkedHashMap<>();
        private final Map<String, FloatArray> params = new LinkedHashMap<>();
        private final Map<String, Object> attrs = new LinkedHashMap<>();
        private final List<Model<?, ?>> layers = new ArrayList<>();
        private Ops ops;

        private Builder(String name, Forward<I, O> forward) {
            if (name == null || forward == null) {
                throw new IllegalArgumentException("Model.define: name and forward are required");
            }
            this.name = name;
            this.forward = forward;
        }

        /**
         * @param initializer infers dims and allocates parameters
         * @return this builder
         */
        public Builder<I, O> init(Initializer<I, O> initializer) {
            this.init = initializer;
            return this;
        }

        /**
         * @param dim a dim name
         * @param value its value, or null for "infer at initialisation"
         * @return this builder
         * @throws DimensionException if the value is zero or negative: a width given up front is a
         *     user's choice, checked here so the error names the layer instead of a kernel much later
         */
        public Builder<I, O> dim(String dim, Integer value) {
            if (value != null && value <= 0) {
                throw new DimensionException(name, dim, value);
            }
            dims.put(dim, value);
            return this;
        }

        /**
         * Declares a parameter, allocated by the init function.
         *
         * @param param its name
         * @return this builder
         */
        public Builder<I, O> param(String param) {
            params.put(param, null);
            return this;
        }

        /**
         * @param attr an attribute name
         * @param value its value
         * @return this builder
         */
        public Builder<I, O> attr(String attr, Object value) {
            attrs.put(attr, value);
            return this;
        }

        /**
         * @param children the child layers, in order
         * @return this builder
         */
        public Builder<I, O> layers(List<? extends Model<?, ?>> children) {
            layers.addAll(children);
            return this;
        }

        /**
         * @param backend the backend for the parameters; default {@link Ops#current()}
         * @return this builder
         */
        public Builder<I, O> ops(Ops backend) {
            this.ops = backend;
            return this;
        }

        /** @return the model */
        public Model<I, O> build() {
            return new Model<>(this);
        }
    }
}

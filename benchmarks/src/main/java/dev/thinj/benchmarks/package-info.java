/**
 * JMH benchmarks: kernels at the shapes the Fashion-MNIST MLP uses, measured against the libraries
 * underneath (OpenBLAS's own GEMM), a training step and a whole epoch. Build with {@code mvn package}
 * and run {@code java -jar benchmarks/target/benchmarks.jar}, or {@code benchmarks/scripts/run-kernels.sh},
 * which waits for an idle machine and writes the results under {@code benchmarks/results/}. The other
 * scripts there run the test suite under CPU load ({@code stress-tests.sh}).
 *
 * <ul>
 *   <li>{@link dev.thinj.benchmarks.KernelBenchmark}: every kernel of the {@code Ops} SPI that ND4J has an
 *       equivalent for, on (batch, width) activations, on the backend named by its {@code backend}
 *       parameter; module {@code benchmarks-nd4j} times ND4J's side, and
 *       {@code benchmarks/scripts/nd4j-race.sh} puts the two in one table.</li>
 *   <li>{@link dev.thinj.benchmarks.TrainingStepBenchmark}: one training step of the 784-512-512-10 MLP
 *       through the model layer, against DL4J's {@code MultiLayerNetwork} in {@code benchmarks-nd4j}.</li>
 *   <li>{@link dev.thinj.benchmarks.FixedCostBenchmark}: the fixed cost of one kernel call on 1 and 128
 *       elements, against ND4J's.</li>
 *   <li>{@link dev.thinj.benchmarks.BackendReport}: the backends found and the OpenBLAS the CPU backend
 *       loads, printed once per race.</li>
 *   <li>{@link dev.thinj.benchmarks.GemmBenchmark}: the MLP's matrix products through
 *       {@code Ops.get("cpu")} beside the same call on OpenBLAS with native memory.</li>
 *   <li>{@link dev.thinj.benchmarks.SmallKernelBenchmark}: relu, softmax and Adam at the MLP's sizes,
 *       and the fixed cost of one kernel call.</li>
 *   <li>{@link dev.thinj.benchmarks.CudaKernelBenchmark}: the same GEMMs (float32 and TF32), relu,
 *       softmax, Adam and a whole MLP step on the CUDA backend, each followed by a synchronisation;
 *       needs a GPU (the setup fails with the reason elsewhere).</li>
 *   <li>{@link dev.thinj.benchmarks.MemoryLayoutBenchmark}: heap {@code float[]} against off-heap
 *       storage, the measurement behind the CPU backend's choice.</li>
 *   <li>{@link dev.thinj.benchmarks.MlpStepBenchmark}: one training step of the 784-512-512-10 MLP on
 *       the kernels (forward, backward, Adam, or all three).</li>
 *   <li>{@link dev.thinj.benchmarks.EpochBenchmark}: one epoch of that MLP through the model layer and
 *       {@code ops.multibatch}, with buffers of 1 to 8 batches and an optional cost per batch.</li>
 * </ul>
 *
 * <p>Every benchmark forks one JVM with a fixed, pre-touched 1 GiB heap
 * ({@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch}). On the virtual machine these were first run on, the
 * first write to a page the heap has never used costs microseconds; with a growing heap a kernel
 * that allocates its result ran 10 to 50 times slower, and erratically, until the heap stopped
 * growing. A pre-touched heap measures the steady state of a long training run. Pass
 * {@code -jvmArgsAppend -Dthinj.cpu.threads=1} to measure the CPU backend on one thread.
 */
package dev.thinj.benchmarks;

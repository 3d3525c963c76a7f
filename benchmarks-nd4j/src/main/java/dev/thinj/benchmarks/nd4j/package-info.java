/**
 * The ND4J and DL4J side of thinj's benchmarks, on a class path of its own (ND4J 1.0.0-M2.1 needs
 * JavaCPP 1.5.7 and OpenBLAS 0.3.19; thinj's CPU backend JavaCPP 1.5.13 and OpenBLAS 0.3.31, and one JVM
 * loads one JavaCPP). Each benchmark mirrors one of module {@code benchmarks}, with the same method
 * names, parameters, operands and JMH settings, so {@code benchmarks/scripts/nd4j-race.sh} can pair the
 * results row by row.
 *
 * <ul>
 *   <li>{@link dev.thinj.benchmarks.nd4j.Nd4jKernelBenchmark}: every kernel of thinj's {@code Ops} SPI
 *       that ND4J has, against {@code KernelBenchmark}.</li>
 *   <li>{@link dev.thinj.benchmarks.nd4j.Dl4jTrainingStepBenchmark}: one {@code MultiLayerNetwork.fit}
 *       of the Fashion-MNIST MLP, against {@code TrainingStepBenchmark}.</li>
 *   <li>{@link dev.thinj.benchmarks.nd4j.Nd4jFixedCostBenchmark}: the fixed cost of a call, against
 *       {@code FixedCostBenchmark}.</li>
 *   <li>{@link dev.thinj.benchmarks.nd4j.Dl4jEpoch}: DL4J's epoch on the full Fashion-MNIST, the peer
 *       {@code epoch-race.sh} runs as {@code dl4j}.</li>
 *   <li>{@link dev.thinj.benchmarks.nd4j.Nd4jReport}: ND4J's backend, threads and BLAS, printed once per
 *       race.</li>
 * </ul>
 *
 * <p>Build with {@code mvn package -pl benchmarks-nd4j}: {@code java -jar benchmarks-nd4j/target/benchmarks-nd4j.jar}
 * runs the benchmarks (its dependencies lie in {@code target/lib}, named in the jar's manifest). Give
 * ND4J {@code OMP_WAIT_POLICY=PASSIVE} on a small machine.
 */
package dev.thinj.benchmarks.nd4j;

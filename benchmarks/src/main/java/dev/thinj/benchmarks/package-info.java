/**
 * JMH benchmarks: kernels at the shapes the Fashion-MNIST MLP uses, measured against the libraries
 * underneath (OpenBLAS's own GEMM) and, later, peers such as ND4J. Build with {@code mvn package} and
 * run {@code java -jar benchmarks/target/benchmarks.jar}.
 */
package dev.thinj.benchmarks;

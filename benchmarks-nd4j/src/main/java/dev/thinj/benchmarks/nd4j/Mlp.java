package dev.thinj.benchmarks.nd4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The Fashion-MNIST MLP of thinj's example ({@code examples/fashion-mnist-mlp.cfg}) as a DL4J
 * {@code MultiLayerNetwork}: 784-512-512-10, Relu, dropout 0.2 after each hidden layer, softmax with
 * categorical cross-entropy, Adam 0.001 (beta1 0.9, beta2 0.999, eps 1e-8), float32.
 *
 * <p>DL4J applies a layer's dropout to that layer's <em>input</em> and takes the probability to
 * <em>keep</em>, so thinj's "dropout 0.2 after hidden layers 1 and 2" is {@code dropOut(0.8)} on layers
 * 2 and 3. The hidden layers start Glorot-uniform ({@code XAVIER_UNIFORM}) and the output layer at zero,
 * as Thinc's Relu and Softmax layers do.
 */
final class Mlp {
    static final int PIXELS = 784;
    static final int HIDDEN = 512;
    static final int CLASSES = 10;

    private Mlp() {
    }

    /**
     * @param seed DL4J's seed (initial weights, dropout masks)
     * @return a new, initialised network
     */
    static MultiLayerNetwork create(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(0.001, 0.9, 0.999, 1e-8))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list()
                .layer(new DenseLayer.Builder().nIn(PIXELS).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(HIDDEN).nOut(HIDDEN).activation(Activation.RELU)
                        .dropOut(0.8).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.ZERO).dropOut(0.8).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}

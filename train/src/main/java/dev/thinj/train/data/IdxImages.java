package dev.thinj.train.data;

/**
 * Images read from an IDX file (magic 2051): {@code count} images of {@code rows x cols} unsigned
 * bytes, row-major, image after image.
 *
 * @param count the number of images
 * @param rows the height of each image
 * @param cols the width of each image
 * @param pixels {@code count * rows * cols} bytes, each an unsigned value 0..255
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {
    /**
     * Checks that the pixel array matches the shape.
     *
     * @throws IllegalArgumentException if a dimension is negative, one image has 2^31 pixels or more,
     *     or the pixels are not {@code count * rows * cols}
     */
    public IdxImages {
        // rows * cols fits a long; a count times that may not, so compare by division, not product.
        long perImage = (long) rows * cols;
        if (count < 0 || rows < 0 || cols < 0 || perImage > Integer.MAX_VALUE
                || (perImage == 0 ? pixels.length != 0 : pixels.length % perImage != 0
                        || pixels.length / perImage != count)) {
            throw new IllegalArgumentException("IdxImages: " + count + " x " + rows + " x " + cols
                    + " does not match " + pixels.length + " pixels");
        }
    }

    /** @return the number of pixels in one image, {@code rows * cols} */
    public int pixelsPerImage() {
        return rows * cols;
    }

    /**
     * @return the pixels as floats scaled to [0, 1] (value / 255), in the same order: one row of
     *     {@link #pixelsPerImage()} values per image
     */
    public float[] toFloats() {
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            // Java bytes are signed; the format's are not.
            out[i] = (pixels[i] & 0xff) / 255f;
        }
        return out;
    }
}

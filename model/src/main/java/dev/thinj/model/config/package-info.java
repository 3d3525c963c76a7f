/**
 * Thinc's config format, read unchanged: {@link dev.thinj.model.config.Config} parses INI-style text
 * with dotted, nesting section names, JSON values, {@code ${section.key}} interpolation, comments and
 * positional {@code [block.*.name]} sections, keeps where every value came from, applies overrides
 * ({@link dev.thinj.model.config.Overrides} reads them from command-line arguments) and writes the
 * config back so that it reads the same. Mistakes raise
 * {@link dev.thinj.model.config.ConfigException}, whose message begins with the file, line,
 * section and key.
 *
 * <p>Blocks with an {@code @registry} key are calls of registered functions; building the objects is
 * {@link dev.thinj.model.registry.Registry}'s job.
 *
 * <p>Inside, one class per step: {@code ConfigText} splits text into raw sections (Python's
 * configparser rules), {@code Interpreter} nests them, interpolates and reads the JSON (confection's
 * rules), {@code ConfigWriter} writes raw sections and lays trees out as sections, {@code JsonValues}
 * holds the JSON reading and writing (Jackson).
 */
package dev.thinj.model.config;

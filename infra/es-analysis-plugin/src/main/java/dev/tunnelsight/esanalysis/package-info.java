/**
 * Three analysis components for Elasticsearch's integ-test distribution, as a stable plugin.
 *
 * <p>The security index ({@code .security-7}, which holds API keys and native users) defines an
 * {@code email} analyzer: tokenizer {@code uax_url_email}, filters {@code pattern_capture}, {@code lowercase}
 * and {@code unique}. Elasticsearch registers all but {@code lowercase} in its analysis-common module, which
 * the integ-test zip leaves out and which is not published on Maven Central, so creating the index fails
 * with {@code Unknown filter type [pattern_capture]}. These classes give those three names to the Lucene
 * components already in the distribution's {@code lib/}; nothing else changes, and Elasticsearch's own
 * security and API-key code is what the tests exercise. Only the settings the security index uses are read.
 */
package dev.tunnelsight.esanalysis;

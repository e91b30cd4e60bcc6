package dev.tunnelsight.esanalysis;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenizerFactory;

/** {@code uax_url_email}: standard tokenization that keeps e-mail addresses and URLs whole. */
@NamedComponent("uax_url_email")
public class UaxUrlEmail implements TokenizerFactory {
    @Override
    public Tokenizer create() {
        return new UAX29URLEmailTokenizer();
    }
}

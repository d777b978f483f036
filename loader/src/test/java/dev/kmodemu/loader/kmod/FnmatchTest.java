package dev.kmodemu.loader.kmod;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Fnmatch} against glibc 2.36's {@code fnmatch(pattern, string, 0)} (each row was run through it). */
class FnmatchTest {
    @ParameterizedTest(name = "fnmatch(\"{0}\", \"{1}\") matches: {2}")
    @CsvSource(delimiter = '\t', quoteCharacter = '`', textBlock = """
            pci:v00008086d*sv*sd*bc*sc*i*	pci:v00008086d00001533sv00001234sd00005678bc02sc00i00	true
            pci:v00008086d*sv*sd*bc*sc*i*	pci:v00008087d00001533sv0sd0bc0sc0i0	false
            a*b*c	abc	true
            a*b*c	aXbYc	true
            a*b*c	acb	false
            a?c	abc	true
            a?c	ac	false
            [0-9]x	5x	true
            [0-9]x	ax	false
            [!0-9]x	ax	true
            [^0-9]x	5x	false
            []a]	]	true
            []a]	a	true
            [a-]	-	true
            x[abc	x[abc	true
            x[abc	xa	false
            \\*	*	true
            \\*	a	false
            a\\	a\\	false
            foo\\bar	foobar	true
            [[:digit:]]z	7z	true
            [[:alpha:]]	7	false
            *	``	true
            *	.hidden	true
            a/*	a/b/c	true
            ?	/	true
            usb:v*p*d*dc*dsc*dp*ic09isc*ip*in*	usb:v1D6Bp0002d0515dc09dsc00dp01ic09isc00ip00in00	true
            kmodidx_mid[0-9]	kmodidx_mid5	true
            kmodidx_mid[0-9]	kmodidx_midx	false
            char_major_10_*	char_major_10_229	true
            [a-c-e]	d	false
            [a-c-e]	-	true
            [a\\]]	]	true
            **a	ba	true
            a**	a	true
            *?*	``	false
            *?*	x	true
            """)
    void matchesLikeGlibc(String pattern, String string, boolean expected) {
        assertEquals(expected, Fnmatch.matches(pattern, string));
    }
}

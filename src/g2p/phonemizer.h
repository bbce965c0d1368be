// SPDX-License-Identifier: GPL-3.0-or-later
// A decided Spelling -> eSpeak NG phoneme mnemonics for the Indonesian voice
// (the inside of a "[[...]]" span): digraphs (ng, ny, sy, kh), glottal k,
// taling e as [e] in an open syllable and [E] in a closed one, pepet [@],
// and the stress mark, which Indonesian puts on the second-last syllable
// unless its vowel is a pepet, then on the last (so eSpeak never stresses a
// schwa).
#pragma once

#include <string>

#include "g2p/spelling.h"

namespace warta::g2p {

// `spelling` must be decided (no Unknown e); an Unknown e is said as a pepet.
std::string toPhonemes(const Spelling& spelling);

}  // namespace warta::g2p

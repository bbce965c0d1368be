// SPDX-License-Identifier: GPL-3.0-or-later
// Why a token is said as it is: TokenReport::why, one definition each.
//
// The text is what `warta lexicon check` and `warta normalize` explanations
// show ("rule: date"), so it is worded for an editor. Code that asks why a
// token was read (a pause, a date...) compares with these constants, never
// with a literal of its own.
#pragma once

namespace warta::text::reason {

// Reports that are not a rule's reading.
inline constexpr char kPause[] = "pause";           // punctuation: a pause, or a token shown only
inline constexpr char kPlainWord[] = "plain word";  // an ordinary word, no rule involved
inline constexpr char kRule[] = "rule";             // a rule that named no reason
inline constexpr char kLexicon[] = "lexicon";

// Numbers.
inline constexpr char kNumber[] = "number";
inline constexpr char kNumberWithSeparators[] = "number with separators";
inline constexpr char kNegativeNumber[] = "negative number";
inline constexpr char kFraction[] = "fraction";
inline constexpr char kRange[] = "range";
inline constexpr char kScore[] = "score";
inline constexpr char kOrdinal[] = "ordinal";
inline constexpr char kAge[] = "age";
inline constexpr char kRomanNumeral[] = "roman numeral";
inline constexpr char kRomanOrdinal[] = "roman numeral: ordinal";
inline constexpr char kRomanAfterName[] = "roman numeral after a name";
inline constexpr char kDigitByDigit[] = "number said digit by digit";
inline constexpr char kPhoneNumber[] = "phone number: digits";
inline constexpr char kNeighbourhoodNumber[] = "neighbourhood number";
inline constexpr char kDaysBefore[] = "days before";

// Money and units.
inline constexpr char kMoney[] = "money";
inline constexpr char kNumberWithUnit[] = "number with unit";
inline constexpr char kUnitAfterPer[] = "unit after per";

// Dates and times.
inline constexpr char kDate[] = "date";
inline constexpr char kPairOfYears[] = "pair of years";
inline constexpr char kTime[] = "time";
inline constexpr char kTimeZone[] = "time zone";

// Acronyms and abbreviations.
inline constexpr char kAbbreviation[] = "abbreviation";
inline constexpr char kRank[] = "rank";
inline constexpr char kInitial[] = "initial";
inline constexpr char kInitials[] = "initials";
inline constexpr char kSpelled[] = "spelled";
inline constexpr char kDottedLetters[] = "dotted letters spelled";
inline constexpr char kAcronymSaidListed[] = "acronym said: listed";
inline constexpr char kAcronymSpelledListed[] = "acronym spelled: listed";
inline constexpr char kAcronymSpelledShort[] = "acronym spelled: short";
inline constexpr char kAcronymSaidShape[] = "acronym said: syllable shape";
inline constexpr char kAcronymSpelledShape[] = "acronym spelled: syllable shape";
inline constexpr char kWordInCapitals[] = "word in capitals";
inline constexpr char kRepeatedAcronym[] = "acronym after its expansion: not read";
inline constexpr char kDegree[] = "academic degree";
inline constexpr char kDegreeDropped[] = "academic degree: not read";
inline constexpr char kMixedCase[] = "mixed case split";
inline constexpr char kLettersAndDigits[] = "letters and digits";

// Web and codes.
inline constexpr char kWebAddress[] = "web address";
inline constexpr char kDomain[] = "domain";
inline constexpr char kEmail[] = "e-mail address";
inline constexpr char kHashtag[] = "hashtag";
inline constexpr char kMention[] = "mention";
inline constexpr char kSymbol[] = "symbol";
inline constexpr char kUnitCode[] = "unit code";

}  // namespace warta::text::reason

<?xml version="1.0" encoding="UTF-8"?>
<!-- Pronunciations of a (made-up) community station: its name, its
     presenters, places it covers. List it in a rundown:
       lexicons: [lexicon/stasiun.pls]
     W3C Pronunciation Lexicon Specification 1.0. warta reads <alias> as a
     respelling in plain words, <phoneme> in IPA (alphabet="ipa", converted
     with voices/ipa-espeak.yaml) or as eSpeak NG mnemonics
     (alphabet="x-espeak"). -->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="id">
  <!-- The station says its name as one word, not "er ka es be". -->
  <lexeme>
    <grapheme>RKSB</grapheme>
    <alias>radio kota santri blitar</alias>
  </lexeme>
  <!-- warta looks words up one at a time: a grapheme is one written word. -->
  <lexeme>
    <grapheme>SuaraKalijambu</grapheme>
    <grapheme>SKJ</grapheme>
    <alias>suara kali jambu</alias>
  </lexeme>
  <!-- Presenters: é and schwa where eSpeak guesses the other one. -->
  <lexeme>
    <grapheme>Kenes</grapheme>
    <phoneme>ˈkenes</phoneme>
  </lexeme>
  <lexeme>
    <grapheme>Gendhis</grapheme>
    <grapheme>Gendis</grapheme>
    <phoneme>gənˈdis</phoneme>
  </lexeme>
  <lexeme>
    <grapheme>Sekar</grapheme>
    <phoneme alphabet="x-espeak">s@k'aR</phoneme>
  </lexeme>
  <lexeme>
    <grapheme>Tjahjo</grapheme>
    <alias>cahyo</alias>
  </lexeme>
  <!-- Places the news desk covers. -->
  <lexeme>
    <grapheme>Sumberjati</grapheme>
    <phoneme>sumbərˈdʒati</phoneme>
  </lexeme>
  <lexeme>
    <grapheme>Tanjungsari</grapheme>
    <alias>tanjung sari</alias>
  </lexeme>
  <lexeme>
    <grapheme>Kepanjenkidul</grapheme>
    <phoneme>kəpandʒən kiˈdul</phoneme>
  </lexeme>
</lexicon>

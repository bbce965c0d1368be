// SPDX-License-Identifier: GPL-3.0-or-later
#include "g2p/morphology.h"

#include <algorithm>

namespace warta::g2p {
namespace {

std::size_t vowels(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return isVowel(c); }));
}

struct Search {
  const MorphologyRules& rules;
  const Morphology::Lookup& lookup;
  std::optional<Analysis> best;
  int best_affixes = 0;

  void offer(Analysis a, int affixes, std::size_t root_size) {
    const auto rank = [](bool known, int n, std::size_t size) {
      return std::make_tuple(known ? 0 : 1, n, -static_cast<long>(size));
    };
    if (!best || rank(a.known_root, affixes, root_size) < rank(best->known_root, best_affixes, best_root_size)) {
      best = std::move(a);
      best_affixes = affixes;
      best_root_size = root_size;
    }
  }
  std::size_t best_root_size = 0;

  // `prefix` and `suffix` are the affixes stripped so far (outermost first for
  // prefixes, innermost first for suffixes); `stem` what lies between.
  bool beginsLikeARoot(std::string_view stem) const {
    if (isVowel(stem[0]) || (stem.size() > 1 && isVowel(stem[1]))) return true;
    for (const std::string& onset : rules.root_onsets)
      if (stem.size() > onset.size() && stem.starts_with(onset) && isVowel(stem[onset.size()])) return true;
    return false;
  }

  void roots(const Spelling& prefix, std::string_view stem, const Spelling& suffix, int prefixes, int suffixes,
             bool short_root_ok, const std::string& prefix_parts, const std::string& suffix_parts,
             std::size_t swallowed, const std::string& restored, bool roots_guessable = true) {
    const int affixes = prefixes + suffixes;
    if (affixes > 0 && stem.size() >= rules.min_root_letters) {
      const std::size_t v = vowels(stem);
      if (const Spelling* root = lookup(stem); root != nullptr && (v >= 2 || short_root_ok)) {
        Spelling whole = prefix;
        Spelling rest;
        rest.letters = root->letters.substr(swallowed);
        rest.e = root->e.substr(swallowed);
        whole += rest;
        whole += suffix;
        whole.keep_k = root->keep_k;
        offer({std::move(whole), prefix_parts + restored + std::string(stem.substr(restored.size())) + suffix_parts,
               true},
              affixes, stem.size());
      } else if (stem.find('e') == std::string_view::npos && v >= rules.min_unknown_root_vowels &&
                 (prefix.hasE() || suffix.hasE() || prefixes > 0) && roots_guessable && beginsLikeARoot(stem)) {
        Spelling whole = prefix;
        whole += Spelling::plain(stem.substr(swallowed));
        whole += suffix;
        offer({std::move(whole), prefix_parts + std::string(stem) + suffix_parts, false}, affixes, stem.size());
      }
    }
    // Infixes: only inside a bare root.
    if (prefixes == 0 && suffixes == 0 && swallowed == 0) {
      for (const Affix& infix : rules.infixes) {
        const std::string& in = infix.says.letters;
        if (stem.size() < 1 + in.size() + rules.min_root_letters - 1 || isVowel(stem[0]) ||
            stem.compare(1, in.size(), in) != 0)
          continue;
        const std::string root_letters = std::string(1, stem[0]) + std::string(stem.substr(1 + in.size()));
        const Spelling* root = lookup(root_letters);
        if (root == nullptr || vowels(root_letters) < 2) continue;
        Spelling whole;
        whole.letters = std::string(stem);
        whole.e = root->e.substr(0, 1) + infix.says.e + root->e.substr(1);
        whole.keep_k = root->keep_k;
        offer({std::move(whole), root_letters.substr(0, 1) + "<" + in + ">" + root_letters.substr(1), true}, 1,
              root_letters.size());
      }
    }
    if (swallowed > 0 || prefixes >= rules.max_prefixes) return;
    for (const Affix& p : rules.prefixes) {
      const std::string& form = p.says.letters;
      if (stem.size() <= form.size() || stem.compare(0, form.size(), form) != 0) continue;
      const std::string_view rest = stem.substr(form.size());
      for (const std::string& r : p.restores) {
        // A swallowed consonant comes back in front of a vowel only (me-nulis < tulis).
        if (!r.empty() && !isVowel(rest.front())) continue;
        Spelling more = prefix;
        more += p.says;
        const std::string root = r + std::string(rest);
        roots(more, root, suffix, prefixes + 1, suffixes, p.short_roots, prefix_parts + form + "-", suffix_parts,
              r.size(), r, roots_guessable && p.guesses_roots);
      }
    }
  }
};

}  // namespace

Morphology::Morphology(MorphologyRules rules) : rules_(std::move(rules)) {}

std::optional<Analysis> Morphology::analyze(std::string_view letters, const Lookup& lookup) const {
  Search search{rules_, lookup, std::nullopt};
  // Suffixes, outermost first: every chain of up to max_suffixes.
  struct Stem {
    std::string_view stem;
    Spelling suffix;
    std::string parts;
    int count;
  };
  std::vector<Stem> stems = {{letters, Spelling{}, "", 0}};
  for (std::size_t k = 0; k < stems.size(); ++k) {
    const Stem s = stems[k];
    if (s.count >= rules_.max_suffixes) continue;
    for (const Affix& a : rules_.suffixes) {
      const std::string& form = a.says.letters;
      if (s.stem.size() <= form.size() + 1 || !s.stem.ends_with(form)) continue;
      Spelling suffix = a.says;
      suffix += s.suffix;
      stems.push_back({s.stem.substr(0, s.stem.size() - form.size()), suffix, "-" + form + s.parts, s.count + 1});
    }
  }
  for (const Stem& s : stems) search.roots(Spelling{}, s.stem, s.suffix, 0, s.count, false, "", s.parts, 0, "");
  // A compound of two listed words written as one (sepakbola, narasumber,
  // tanggungjawab) is better than a guess about an unlisted root.
  if (!search.best || !search.best->known_root) {
    for (std::size_t cut = rules_.min_root_letters; cut + rules_.min_root_letters <= letters.size(); ++cut) {
      const std::string_view head = letters.substr(0, cut), tail = letters.substr(cut);
      if (vowels(head) < 2 || vowels(tail) < 2) continue;
      const Spelling* a = lookup(head);
      const Spelling* b = a ? lookup(tail) : nullptr;
      if (b == nullptr) continue;
      Spelling whole = *a;
      whole += *b;
      whole.keep_k = a->keep_k && b->keep_k;
      search.offer({std::move(whole), std::string(head) + "+" + std::string(tail), true}, 2, tail.size());
    }
  }
  return search.best;
}

}  // namespace warta::g2p

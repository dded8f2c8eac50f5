"""The note de conjoncture's words, in French or English (:mod:`barometre.core.report` lays them out).

- :mod:`.text`: interface strings, numbers carrying their source (:class:`.text.Num`), labels and the
  paragraphs about one indicator;
- :mod:`.sentences`: the sentences the builder assembles around the figures (source line, champ, titles);
- :mod:`.typography`: French typography of the note's text (no-break spaces in numbers and before
  punctuation);
- :mod:`.small_area`, :mod:`.poll`: the département map's annex section, the "Regard des Français" chapter;
- :mod:`.synthetic`: the texts of the synthetic edition (tests and the benchmark).
"""

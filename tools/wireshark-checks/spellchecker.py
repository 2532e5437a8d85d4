# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""The part of pyspellchecker's API that Wireshark's tools/check_spelling.py
calls (SpellChecker(), word_frequency.load_text_file and load_words, known,
unknown, correction), over Debian's English word lists.

pyspellchecker is not packaged by Debian; the dictionaries are (wamerican,
wbritish).  check-wireshark.sh puts this folder first on PYTHONPATH.  Words
are compared in lower case, as pyspellchecker does by default.  The project's
own word list (protocol jargon: TURNBWM, ufrag, srflx...) is read from the
files named in MSTURN_SPELLING_WORDS (colon-separated).
"""
import os
import re

_DICTS = ('/usr/share/dict/american-english', '/usr/share/dict/british-english')
_WORD = re.compile(r"[\w']+")


class _Frequency:
    def __init__(self, words):
        self._words = words

    def load_text_file(self, path):
        with open(path, encoding='utf-8', errors='replace') as f:
            self.load_text(f.read())

    def load_text(self, text):
        self._words.update(w.lower() for w in _WORD.findall(text))

    def load_words(self, words):
        self._words.update(w.lower() for w in words)


class SpellChecker:
    def __init__(self, *args, **kwargs):
        self._words = set()
        self.word_frequency = _Frequency(self._words)
        found = False
        for d in _DICTS:
            if os.path.exists(d):
                self.word_frequency.load_text_file(d)
                found = True
        if not found:
            raise RuntimeError('no English word list in /usr/share/dict (packages wamerican, wbritish)')
        for f in filter(None, os.environ.get('MSTURN_SPELLING_WORDS', '').split(':')):
            self.word_frequency.load_text_file(f)

    def known(self, words):
        return {w for w in words if w.lower() in self._words}

    def unknown(self, words):
        return {w for w in words if w.lower() not in self._words}

    def correction(self, word):
        return word

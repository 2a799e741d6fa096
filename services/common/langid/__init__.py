"""Language identification: the detector service's logic, also run in-process by the
translator and the summarizer (through services/common/language.py)."""

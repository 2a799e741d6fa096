"""The summarization service: an English article into a headline, summary and bullets."""

"""The translation service: Ukrainian and Russian into English, whole documents."""

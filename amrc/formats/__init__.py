"""Date and number formats of the platform's languages where Django's own do not suit Moroccan
readers (settings.FORMAT_MODULE_PATH); French keeps Django's formats."""

"""Text analysis for consultation answers: pure Python, plain data in and out.

Never imports Flask or `consult`; heavy libraries (nltk, scikit-learn) are imported
inside the functions that need them so that importing this package stays cheap.
"""

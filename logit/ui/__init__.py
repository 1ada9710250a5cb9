"""The Streamlit user interface: figures, explanations, translations and page panels.

Only this subpackage may import streamlit or plotly.
"""

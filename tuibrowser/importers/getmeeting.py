def looks_like(text): return False
def parse(text, source, board, warnings): return []

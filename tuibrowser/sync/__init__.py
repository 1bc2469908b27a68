"""``tuibrowser sync``: mirror a council's ModernGov committees into meeting files.

client.py talks HTTP (politely), moderngov.py knows the web service's URLs and listings,
state.py keeps what earlier runs fetched and wrote, publish.py puts one meeting file in place
without losing a hand edit, run.py drives a run. Imported only by the ``sync`` command.
"""

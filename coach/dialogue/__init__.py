"""The conversation: understanding a learner's message and answering it.

``extract`` pulls amounts, hours, weeks and countries out of text; ``intents``
recognises what the learner wants; ``linking`` finds the catalogue entries a
message mentions; ``state`` is the conversation state persisted per learner;
``policy`` decides a turn and the ``compose_*`` modules write the answers.
"""

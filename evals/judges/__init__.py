"""Language-model judges (faithfulness, relevance) and their calibration against human labels."""

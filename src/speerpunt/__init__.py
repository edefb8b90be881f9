"""speerpunt: regional smart-specialisation analysis."""

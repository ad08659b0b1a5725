"""Activity reports from the participating kommuner and the success criteria measured from them."""

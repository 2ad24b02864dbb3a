"""Stage definitions (MQL, SQL, …) both team leads sign, tested on history and explained."""

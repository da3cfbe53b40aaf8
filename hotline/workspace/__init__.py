"""The staff workspace pages beyond the model admin: dashboard, flow map, simulator."""

"""Pages of the inventory's catalogue: places and departments, products,
suppliers and contracts, spare pools."""

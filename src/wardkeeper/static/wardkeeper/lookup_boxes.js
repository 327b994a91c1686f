// Fields of lookup boxes (LookupBoxes in inventory/forms/fields.py): "Add another" appends an
// empty box. app.js gives every box, old or new, its suggestions.
document.querySelectorAll("[data-lookup-boxes]").forEach((group) => {
  const add = group.querySelector("[data-add-box]");
  if (!add) return;
  add.hidden = false;
  add.addEventListener("click", () => {
    const boxes = group.querySelectorAll("input");
    const last = boxes[boxes.length - 1];
    const box = last.cloneNode(false);
    box.value = "";
    box.removeAttribute("list");
    // Ids stay unique: app.js names a box's suggestion list after its id.
    box.id = `${last.id.replace(/_\d+$/, "")}_${boxes.length}`;
    add.before(box);
    box.focus();
  });
});

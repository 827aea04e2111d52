export function mount(el) {
  el.textContent = "chatleo says hello";
}
mount(document.body.appendChild(document.createElement("div")));

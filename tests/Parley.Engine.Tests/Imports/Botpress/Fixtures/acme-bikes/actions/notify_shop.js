/**
 * Tells the shop's own system about a new repair request.
 * @title Notify the shop
 * @category Custom
 */
const notifyShop = async () => {
  await axios.post('https://shop.acme.example/api/repairs', { email: event.state.session.slots.email.value })
}
return notifyShop()

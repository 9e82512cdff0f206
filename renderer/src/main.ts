import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createApiClient, installApiClient, useApiClient } from './api';
import { createServices } from './services/createServices';
import { servicesKey } from './services/useServices';
import { setAppSignal } from './signals/appSignals';
import { useNotificationsStore } from './stores/notificationsStore';
import './styles/global.css';

setAppSignal('appState', 'starting');
setAppSignal('viewerState', 'empty');
installApiClient(createApiClient());

const app = createApp(App);
app.use(createPinia());
// One of each service for the whole app, handed to every component; they go when the app goes.
const services = createServices(useApiClient());
app.provide(servicesKey, services);
app.onUnmount(() => services.destroy());
// The one handler for the unexpected in the renderer: logged with its stack, told to the user in plain words.
app.config.errorHandler = (error) => useNotificationsStore().reportError(error, 'An action');
window.addEventListener('unhandledrejection', (event) => console.error('unhandled rejection', event.reason));
app.mount('#app');

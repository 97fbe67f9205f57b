import { grabPayPayoutAccount } from '../../core/methods/index.ts';
import { PayoutForm, type PayoutFormProps } from './PayoutForm.tsx';

export interface GrabPayPayoutAccount {
  /** 11 digits starting with 09. */
  number: string;
  /** The holder's full name (first and last). */
  customer_name: string;
}

/**
 * GrabPay payout details (PH): the account number and the holder's full name, validated with the
 * core's `grabPayPayoutAccount`. `onSubmit` gets the account; post it to your server.
 */
export function GrabPayPayoutForm(props: PayoutFormProps<GrabPayPayoutAccount>) {
  return (
    <PayoutForm<GrabPayPayoutAccount>
      schema={grabPayPayoutAccount}
      title="payout.grabpay.title"
      className="ecp-payout--grabpay"
      props={props}
      fields={[
        {
          name: 'number',
          label: 'field.account_number',
          hint: 'field.account_number.hint',
          inputMode: 'numeric',
          autoComplete: 'off',
          maxLength: 11,
        },
        {
          name: 'customer_name',
          label: 'field.customer_name',
          hint: 'field.customer_name.hint',
          autoComplete: 'name',
        },
      ]}
    />
  );
}
